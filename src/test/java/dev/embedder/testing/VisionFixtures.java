package dev.embedder.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The Hugging Face vision goldens (tiny random ViT, CLIP-vision, DINOv2), kept in the test resources. */
public final class VisionFixtures {

    private VisionFixtures() {}

    public static Path dir() {
        Path dir = Path.of("src", "test", "resources", "hf-vision").toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            throw new AssertionError("HF vision fixtures not found at " + dir);
        }
        return dir;
    }
}
