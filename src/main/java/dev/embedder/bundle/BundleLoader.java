package dev.embedder.bundle;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds a bundle by name in the configured locations and parses its manifest. */
public final class BundleLoader {

    static final String MANIFEST = "bundle.json";
    private static final String CLASSPATH_PREFIX = "classpath:";

    private final List<String> locations;
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();

    public BundleLoader(List<String> locations) {
        this.locations = List.copyOf(locations);
    }

    public ModelBundle load(String name) {
        List<String> tried = new ArrayList<>();
        for (String location : locations) {
            BundleSource source = sourceFor(location, name);
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
