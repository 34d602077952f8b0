package dev.embedder.hub;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where and how Hub models are fetched, from the environment variables every Hugging Face tool reads (the names
 * and defaults of huggingface_hub's {@code constants.py}), so one cache serves Embedder, {@code huggingface-cli}
 * and transformers alike:
 * <ul>
 * <li>{@code HF_ENDPOINT}: the Hub (a mirror, an enterprise Hub); default {@link #DEFAULT_ENDPOINT}.</li>
 * <li>{@code HF_HUB_CACHE} (legacy {@code HUGGINGFACE_HUB_CACHE}), else {@code $HF_HOME/hub}; {@code HF_HOME}
 * defaults to {@code $XDG_CACHE_HOME/huggingface}, else {@code ~/.cache/huggingface}.</li>
 * <li>{@code HF_TOKEN} (legacy {@code HUGGING_FACE_HUB_TOKEN}), else the file {@code HF_TOKEN_PATH}
 * (default {@code $HF_HOME/token}, what {@code huggingface-cli login} writes).</li>
 * <li>{@code HF_HUB_OFFLINE}: {@code 1}/{@code ON}/{@code YES}/{@code TRUE} means no network at all.</li>
 * <li>{@code HF_HUB_ETAG_TIMEOUT} (metadata calls) and {@code HF_HUB_DOWNLOAD_TIMEOUT} (longest wait for the next
 * bytes of a download), seconds, both 10 by default.</li>
 * </ul>
 */
public record HubSettings(URI endpoint, Optional<String> token, Path cacheDir, boolean offline,
        Duration metadataTimeout, Duration downloadTimeout) {

    /** The public Hub; written once here, the only place that names it. */
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

    public HubSettings {
        token = token.filter(t -> !t.isBlank()).map(String::trim);
    }

    /** Reads the settings with {@code lookup} (an environment variable or config property by name, null if unset). */
    public static HubSettings from(Function<String, String> lookup) {
        String endpoint = firstSet(lookup, "HF_ENDPOINT").orElse(DEFAULT_ENDPOINT).replaceAll("/+$", "");
        Path home = firstSet(lookup, "HF_HOME").map(HubSettings::expand)
                .orElseGet(() -> firstSet(lookup, "XDG_CACHE_HOME").map(HubSettings::expand)
                        .orElseGet(() -> Path.of(System.getProperty("user.home"), ".cache"))
                        .resolve("huggingface"));
        Path cache = firstSet(lookup, "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE").map(HubSettings::expand)
                .orElseGet(() -> home.resolve("hub"));
        Optional<String> token = firstSet(lookup, "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN")
                .or(() -> readTokenFile(firstSet(lookup, "HF_TOKEN_PATH").map(HubSettings::expand)
                        .orElseGet(() -> home.resolve("token"))));
        boolean offline = firstSet(lookup, "HF_HUB_OFFLINE")
                .map(v -> switch (v.trim().toUpperCase(Locale.ROOT)) {
                    case "1", "ON", "YES", "TRUE" -> true;
                    default -> false;
                }).orElse(false);
        return new HubSettings(URI.create(endpoint), token, cache, offline,
                seconds(lookup, "HF_HUB_ETAG_TIMEOUT"), seconds(lookup, "HF_HUB_DOWNLOAD_TIMEOUT"));
    }

    /** The process environment (what the prefetch command, which boots no configuration, reads). */
    public static HubSettings fromEnvironment() {
        return from(System::getenv);
    }

    /**
     * The application's configuration (MicroProfile Config: environment variables by their exact names, system
     * properties, {@code application.properties}), so a server reads the same variables and tests can set them.
     */
    public static HubSettings fromConfig() {
        org.eclipse.microprofile.config.Config config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        return from(name -> config.getOptionalValue(name, String.class).orElse(null));
    }

    public HubSettings withCacheDir(Path dir) {
        return new HubSettings(endpoint, token, dir, offline, metadataTimeout, downloadTimeout);
    }

    /** True when {@code uri} goes to the Hub itself (same scheme, host and port): only then is the token sent. */
    public boolean isEndpointHost(URI uri) {
        return endpoint.getScheme().equalsIgnoreCase(uri.getScheme())
                && endpoint.getHost().equalsIgnoreCase(uri.getHost())
                && port(endpoint) == port(uri);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static Optional<String> firstSet(Function<String, String> lookup, String... names) {
        for (String name : names) {
            String value = lookup.apply(name);
            if (value != null && !value.isBlank()) {
                return Optional.of(value.trim());
            }
        }
        return Optional.empty();
    }

    private static Path expand(String path) {
        return path.startsWith("~/") ? Path.of(System.getProperty("user.home"), path.substring(2)) : Path.of(path);
    }

    private static Optional<String> readTokenFile(Path file) {
        try {
            return Files.isRegularFile(file)
                    ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim()).filter(t -> !t.isEmpty())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Duration seconds(Function<String, String> lookup, String name) {
        String value = lookup.apply(name);
        if (value == null || value.isBlank()) {
            return Duration.ofSeconds(10);
        }
        try {
            return Duration.ofMillis((long) (Double.parseDouble(value.trim()) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "='" + value + "' is not a number of seconds");
        }
    }
}
