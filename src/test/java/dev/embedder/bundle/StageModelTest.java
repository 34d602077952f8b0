package dev.embedder.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.inference.ModelFile;
import dev.embedder.testing.Bundles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a bundle's model reaches ONNX Runtime as a local file. */
class StageModelTest {

    @Test
    void aClasspathModelIsCopiedToATemporaryFileThatDiscardDeletes() throws Exception {
        ModelBundle bundle = Bundles.load("all-minilm-l6-v2");
        ModelFile staged = bundle.stageModel();
        try {
            assertTrue(staged.temporary());
            assertArrayEquals(bundle.read("model"), Files.readAllBytes(staged.path()));
        } finally {
            staged.discard();
        }
        assertFalse(Files.exists(staged.path()));
    }

    @Test
    void aFolderBundleIsLoadedInPlaceAndNeverDeleted(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bundle.json"), Files.readString(Path.of("model-bundle/all-minilm-l6-v2/bundle.json")));
        ModelBundle classpath = Bundles.load("all-minilm-l6-v2");
        ModelBundle folder = new ModelBundle(classpath.manifest(), new BundleSource.Directory(dir));
        String file = classpath.manifest().file("model");
        Files.write(dir.resolve(file), new byte[] {1, 2, 3});
        ModelFile staged = folder.stageModel();
        assertFalse(staged.temporary());
        assertEquals(dir.resolve(file), staged.path());
        staged.discard();
        assertTrue(Files.exists(dir.resolve(file)));
    }

    @Test
    void missingModelsAreNamed(@TempDir Path dir) {
        ModelBundle classpath = Bundles.load("all-minilm-l6-v2");
        ModelBundle empty = new ModelBundle(classpath.manifest(), new BundleSource.Directory(dir));
        var error = assertThrows(IllegalStateException.class, empty::stageModel);
        assertTrue(error.getMessage().contains(dir.resolve(classpath.manifest().file("model")).toString()),
                error.getMessage());
        ModelBundle nowhere = new ModelBundle(classpath.manifest(), new BundleSource.Classpath("model-bundle/none"));
        var missing = assertThrows(IllegalStateException.class, nowhere::stageModel);
        assertTrue(missing.getMessage().contains("classpath:model-bundle/none/"), missing.getMessage());
    }
}
