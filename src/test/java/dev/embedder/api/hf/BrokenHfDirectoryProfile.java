package dev.embedder.api.hf;

import dev.embedder.testing.HfLayouts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A Hugging Face directory with everything but its ONNX file (a download that skipped it). */
public class BrokenHfDirectoryProfile implements io.quarkus.test.junit.QuarkusTestProfile {

    static final Path DIR = Path.of("target", "broken-hf", "bge-without-onnx").toAbsolutePath();

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            if (!Files.isDirectory(DIR)) {
                HfLayouts.copy(HfLayouts.bge(), DIR);
            }
            Files.deleteIfExists(DIR.resolve("onnx/model.onnx"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("embedder.bundle.models", DIR.toString());
    }
}
