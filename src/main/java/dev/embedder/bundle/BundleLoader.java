package dev.embedder.bundle;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import com.fasterxml.jackson.databind.JsonNode;
import dev.embedder.bundle.hf.HfLayout;
import dev.embedder.hub.HubModelId;
import dev.embedder.hub.HubRepository;
import dev.embedder.hub.HubSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a model comes from: resolves each entry of {@code embedder.bundle.models} to its files and manifest.
 * An entry is a bundle name, looked up in the configured locations (the built-in classpath bundles, or
 * folders holding {@code <name>/}), or a directory path ({@code /models/bge}, {@code ./bge}, {@code ~/bge}).
 * A folder with a {@code config.json}, or without a {@code bundle.json}, is read as a Hugging Face model
 * directory by {@link HfLayout} (what its files say), a {@code bundle.json} there overriding only what it names;
 * a folder with a {@code bundle.json} and no {@code config.json} is a bundle as before. A Hub id
 * ({@code org/name[@revision]}, {@code hf:name}) is made local by {@link HubRepository} (the Hugging Face cache,
 * downloading what is missing) and its snapshot folder read like any other directory; a folder
 * {@code <location>/org/name} in a filesystem location takes precedence over the Hub.
 */
public final class BundleLoader {

    static final String MANIFEST = "bundle.json";
    private static final String CLASSPATH_PREFIX = "classpath:";
    /** A folder relative to where the application runs from ({@link AppFolder}); skipped where there is none. */
    static final String APP_PREFIX = "app:";

    private final List<String> locations;
    private final String variant;
    private final java.util.function.Supplier<HubRepository> hub;
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();

    public BundleLoader(List<String> locations) {
        this(locations, null);
    }

    /** {@code variant}: the ONNX variant taken from Hugging Face directories (null: fp32), see {@link HfLayout}. */
    public BundleLoader(List<String> locations, String variant) {
        this(locations, variant, HubSettings.fromEnvironment());
    }

    /** {@code hubSettings}: where models named by Hub id come from (read only when such a model is loaded). */
    public BundleLoader(List<String> locations, String variant, HubSettings hubSettings) {
        this.locations = resolve(locations, AppFolder.find());
        this.variant = variant;
        HubRepository[] repository = new HubRepository[1];
        this.hub = () -> {
            synchronized (repository) {
                if (repository[0] == null) {
                    repository[0] = HubRepository.create(hubSettings, variant);
                }
                return repository[0];
            }
        };
    }

    /** Whether a models entry names a directory rather than a bundle. */
    public static boolean isPath(String entry) {
        return entry.startsWith("/") || entry.startsWith("./") || entry.startsWith("../") || entry.startsWith("~/")
                || entry.startsWith("file:") || entry.matches("[A-Za-z]:[\\\\/].*");
    }

    public ModelBundle load(String name) {
        if (isPath(name)) {
            String path = name.startsWith("file:") ? name.substring("file:".length())
                    : name.startsWith("~/") ? System.getProperty("user.home") + name.substring(1) : name;
            Path dir = Path.of(path);
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException("model directory " + dir.toAbsolutePath() + " does not exist");
            }
            return loadDirectory(dir, null);
        }
        Optional<HubModelId> hubId = HubModelId.parse(name);
        if (hubId.isPresent()) {
            return loadFromHub(name, hubId.get());
        }
        List<String> tried = new ArrayList<>();
        for (String location : locations) {
            BundleSource source = sourceFor(location, name);
            if (source instanceof BundleSource.Directory folder && Files.isDirectory(folder.dir())
                    && isHfDirectory(folder.dir())) {
                return loadDirectory(folder.dir(), null);
            }
            try (InputStream in = source.open(MANIFEST)) {
                if (in == null) {
                    tried.add(source.describe(MANIFEST));
                    continue;
                }
                BundleManifest manifest = mapper.readValue(in, BundleManifest.class);
                if (!manifest.name().equals(name)) {
                    throw new IllegalStateException(source.describe(MANIFEST) + " declares name '"
                            + manifest.name() + "', expected '" + name + "'");
                }
                return new ModelBundle(manifest, source);
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalStateException("cannot read bundle manifest " + source.describe(MANIFEST)
                        + ": " + rootMessage(e), e);
            }
        }
        throw new IllegalStateException("no bundle named '" + name + "'; looked for " + String.join(", ", tried));
    }

    private ModelBundle loadFromHub(String entry, HubModelId id) {
        if (!entry.startsWith(HubModelId.PREFIX)) {
            for (String location : locations) {
                if (!location.startsWith(CLASSPATH_PREFIX) && Files.isDirectory(Path.of(location).resolve(id.repo()))) {
                    return loadDirectory(Path.of(location).resolve(id.repo()), id.repo());
                }
            }
        }
        HubRepository.Snapshot snapshot = hub.get().snapshot(id);
        return loadDirectory(snapshot.dir(), id.repo());
    }

    /**
     * The model in a local directory in Hugging Face layout (a {@code bundle.json} beside it overrides what it
     * names). The entry point for models from elsewhere too: a Hub download hands its snapshot folder here.
     *
     * @param repoId the repo id when the caller knows it, else null (then derived from the directory)
     */
    public ModelBundle loadDirectory(Path dir, String repoId) {
        if (!isHfDirectory(dir)) {
            BundleSource.Directory source = new BundleSource.Directory(dir);
            try (InputStream in = source.open(MANIFEST)) {
                return new ModelBundle(mapper.readValue(in, BundleManifest.class), source);
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalStateException("cannot read bundle manifest " + source.describe(MANIFEST)
                        + ": " + rootMessage(e), e);
            }
        }
        JsonNode overrides = null;
        Path manifest = dir.resolve(MANIFEST);
        if (Files.isRegularFile(manifest)) {
            try {
                overrides = mapper.readTree(manifest.toFile());
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + manifest + ": " + rootMessage(e), e);
            }
        }
        try {
            return new ModelBundle(HfLayout.manifest(dir, overrides, variant, repoId), new BundleSource.Directory(dir));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(dir + ": " + rootMessage(e), e);
        }
    }

    /** A folder with config.json, or with no bundle.json, is a Hugging Face model directory. */
    static boolean isHfDirectory(Path dir) {
        return Files.isRegularFile(dir.resolve("config.json")) || !Files.isRegularFile(dir.resolve(MANIFEST));
    }

    /** {@code app:<folder>} becomes that folder under the application's own, or is dropped when it has none. */
    static List<String> resolve(List<String> locations, Optional<Path> appFolder) {
        List<String> resolved = new ArrayList<>();
        for (String location : locations) {
            if (location.startsWith(APP_PREFIX)) {
                String folder = location.substring(APP_PREFIX.length());
                appFolder.ifPresent(app -> resolved.add(app.resolve(folder).toString()));
            } else {
                resolved.add(location);
            }
        }
        return List.copyOf(resolved);
    }

    private static BundleSource sourceFor(String location, String name) {
        if (location.startsWith(CLASSPATH_PREFIX)) {
            String folder = location.substring(CLASSPATH_PREFIX.length()).replaceAll("^/+|/+$", "");
            return new BundleSource.Classpath(folder.isEmpty() ? name : folder + "/" + name);
        }
        return new BundleSource.Directory(Path.of(location).resolve(name));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
