package dev.embedder.image;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared fixtures checkout that lives beside the project (not inside it). */
final class SharedFixtures {
    private SharedFixtures() {
    }

    /**
     * {@code ../shared} relative to the working directory (the project root under Maven) unless the system
     * property {@code fixtures.shared.dir} says otherwise. A missing directory fails the test instead of
     * skipping it, so a CI job without fixtures cannot pass by silently testing nothing.
     */
    static Path hfVision() {
        Path shared = Path.of(System.getProperty("fixtures.shared.dir", "../shared")).toAbsolutePath().normalize();
        Path dir = shared.resolve("fixtures").resolve("hf-vision");
        if (!Files.isDirectory(dir)) {
            throw new AssertionError("HF vision fixtures not found at " + dir
                    + ": check out the shared fixtures beside the project or set -Dfixtures.shared.dir");
        }
        return dir;
    }
}
