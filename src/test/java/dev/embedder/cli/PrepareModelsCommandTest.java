package dev.embedder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.bundle.BundleLoader;
import dev.embedder.bundle.ModelBundle;
import dev.embedder.inference.GraphAdditions;
import dev.embedder.service.BundleOutputs;
import dev.embedder.testing.HfLayouts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrepareModelsCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return PrepareModelsCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    @Test
    void preparesAHuggingFaceDirectoryOnceWithoutTouchingTheFileItLinkedTo(@TempDir Path tmp) throws Exception {
        Path dir = HfLayouts.copy(HfLayouts.e5(), tmp.resolve("e5"));
        Path model = new BundleLoader(List.of()).loadDirectory(dir, null).localModel();
        Path original = model.toRealPath();
        long originalSize = Files.size(original);

        assertEquals(0, run(dir.toString()), err.toString());
        assertTrue(out.toString().startsWith("prepared "), out.toString());
        assertFalse(Files.isSymbolicLink(model), "the link is replaced by the prepared file");
        assertEquals(originalSize, Files.size(original), "the file the folder linked to is unchanged");
        assertTrue(Files.size(model) > originalSize);
        ModelBundle bundle = new BundleLoader(List.of()).loadDirectory(dir, null);
        BundleOutputs outputs = BundleOutputs.of(bundle.manifest(), true);
        assertTrue(GraphAdditions.needed(model, outputs.tensors(), outputs.pooling()).none());

        assertEquals(0, run(tmp.toString()), "a folder of bundle folders: " + err);
        assertTrue(out.toString().startsWith("already prepared "), out.toString());
    }

    @Test
    void badFoldersAndArgumentsAreRefused(@TempDir Path tmp) {
        assertEquals(2, run());
        assertEquals(2, run("--nope", tmp.toString()));
        assertEquals(1, run(tmp.resolve("missing").toString()));
        assertTrue(err.toString().contains("no such folder"), err.toString());
        assertEquals(1, run(tmp.toString()));
        assertTrue(err.toString().contains("neither a bundle folder"), err.toString());
    }
}
