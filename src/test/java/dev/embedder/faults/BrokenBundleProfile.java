package dev.embedder.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One bundle whose model file is corrupt, in a folder under {@code target/}, and nothing else: no text model, so
 * this extra Quarkus start stays cheap and never touches the tokenizer's native library.
 */
public class BrokenBundleProfile implements io.quarkus.test.junit.QuarkusTestProfile {

    static final String NAME = "broken-image";

    @Override
    public Map<String, String> getConfigOverrides() {
        Path root = Path.of("target", "broken-bundles");
        Path dir = root.resolve(NAME);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("bundle.json"), """
                    {"name": "broken-image", "modality": "image", "dimension": 1280,
                     "files": {"model": "model.onnx", "preprocessor": "preprocessor_config.json"},
                     "input": "input", "pooling": {"mode": "mean", "output": "features", "layout": "nchw"},
                     "license": "MIT", "provenance": "a deliberately corrupt test bundle"}
                    """, StandardCharsets.UTF_8);
            try (InputStream in = BrokenBundleProfile.class.getResourceAsStream(
                    "/model-bundle/mobilenet-v2-nsfwjs/preprocessor_config.json")) {
                Files.write(dir.resolve("preprocessor_config.json"), in.readAllBytes());
            }
            // Not protobuf at all: what a truncated download or a Git LFS pointer file looks like to the loader.
            Files.writeString(dir.resolve("model.onnx"), "version https://git-lfs.github.com/spec/v1\noid sha256:0\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("embedder.bundle.locations", root.toAbsolutePath().toString(),
                "embedder.bundle.models", NAME);
    }
}
