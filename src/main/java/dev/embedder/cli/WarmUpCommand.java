package dev.embedder.cli;

import dev.embedder.bundle.Modality;
import dev.embedder.config.EmbedderConfig;
import dev.embedder.service.ModelRegistry;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code java -jar quarkus-app/quarkus-run.jar warm-up}: boots the service exactly as the server starts, sends it what a first
 * client sends over its own HTTP port (readiness, then one text through the OpenAI route and one through TEI's, and
 * a small PNG through {@code /embed-image} when an image model is loaded),
 * and exits: 0 when every answer was 200, 1 otherwise (models that failed to load included), with the failing
 * route and answer on stderr.
 *
 * <p>It exists for class-data sharing: run under {@code -XX:ArchiveClassesAtExit=FILE}, it is the training run
 * whose exit writes an archive of every class a start and a first request load, which later starts map instead
 * of finding, reading and verifying those classes one by one ({@code infra/container/Dockerfile.jvm} does this at
 * image build; measured in infra/README.md). The archive only works for the JVM that wrote it, with the same
 * jar paths, which is why it is written where the image is built rather than shipped.
 */
public class WarmUpCommand implements QuarkusApplication {

    static final List<String> TEXTS = List.of("A warm-up sentence for the first request.",
            "Class-data sharing keeps what a start loads.");

    @Inject
    ModelRegistry registry;

    @Inject
    EmbedderConfig config;

    @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080")
    int port;

    @ConfigProperty(name = "quarkus.http.host", defaultValue = "localhost")
    String host;

    @ConfigProperty(name = "quarkus.http.root-path", defaultValue = "/")
    String rootPath;

    @Override
    public int run(String... args) {
        if (!registry.isReady()) {
            System.err.println("warm-up: models are not ready: " + registry.failure().orElse("still loading"));
            return 1;
        }
        String base = "http://" + loopback(host) + ":" + port + (rootPath.endsWith("/") ? rootPath : rootPath + "/");
        // The key the HTTP routes accept, taken as ApiKeys takes them: blank entries are no key, keys are stripped.
        String key = config.security().apiKeys().orElse(List.of()).stream()
                .filter(k -> k != null && !k.isBlank()).map(String::strip).findFirst().orElse(null);
        String texts = TEXTS.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(","));
        try {
            expect200(base, "q/health/ready", key, null, null);
            if (registry.defaultTextModel() != null) {
                expect200(base, "v1/embeddings", key, "application/json",
                        ("{\"input\":[" + texts + "]}").getBytes(StandardCharsets.UTF_8));
                expect200(base, "embed", key, "application/json",
                        ("{\"inputs\":\"" + TEXTS.get(0) + "\"}").getBytes(StandardCharsets.UTF_8));
            }
            if (registry.manifests().stream().anyMatch(m -> m.modality() == Modality.IMAGE)) {
                expect200(base, "embed-image", key, "image/png", png());
            }
        } catch (WarmUpFailure e) {
            System.err.println("warm-up: " + e.getMessage());
            return 1;
        }
        System.err.println("warm-up: " + base + " answered; models " + registry.names());
        return 0;
    }

    private static void expect200(String base, String route, String key, String contentType, byte[] body)
            throws WarmUpFailure {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) URI.create(base + route).toURL().openConnection();
            connection.setConnectTimeout(10_000);
            connection.setReadTimeout(120_000);
            if (key != null) {
                connection.setRequestProperty("Authorization", "Bearer " + key);
            }
            if (body != null) {
                connection.setRequestMethod("POST");
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", contentType);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = connection.getResponseCode();
            InputStream answer = status < 400 ? connection.getInputStream() : connection.getErrorStream();
            String text = answer == null ? "" : new String(answer.readAllBytes(), StandardCharsets.UTF_8);
            if (status != 200) {
                throw new WarmUpFailure(route + " answered " + status + ": " + text);
            }
        } catch (IOException e) {
            throw new WarmUpFailure(route + " could not be reached at " + base + ": " + e);
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    /** A small RGB gradient as PNG bytes: what an image model's first request decodes and preprocesses. */
    static byte[] png() {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | 128);
            }
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The address to call this process on: the wildcard listen addresses mean "every interface", so loopback. */
    static String loopback(String host) {
        return switch (host) {
            case "0.0.0.0", "::", "[::]", "" -> "127.0.0.1";
            default -> host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        };
    }

    private static final class WarmUpFailure extends Exception {
        WarmUpFailure(String message) {
            super(message);
        }
    }
}
