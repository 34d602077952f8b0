package dev.embedder.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import dev.embedder.bundle.BundleLoader;
import dev.embedder.bundle.ModelBundle;
import dev.embedder.service.BundleOutputs;
import dev.embedder.testing.HfLayouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models prepared ahead of time: the outputs a session needs written into the file once, so that later sessions
 * load the file in place. e5-small-v2 as its carrier ships it (never prepared by the build).
 */
class GraphAdditionsTest {

    private static final SessionSettings CPU = new SessionSettings(1, 1, "all");

    private static ModelBundle e5() {
        return new BundleLoader(List.of()).loadDirectory(HfLayouts.e5(), null);
    }

    @Test
    void prepareAppendsWhatIsMissingOnceAndLeavesTheOriginalBytesInFront(@TempDir Path dir) throws Exception {
        ModelBundle bundle = e5();
        BundleOutputs outputs = BundleOutputs.of(bundle.manifest(), true);
        byte[] original = Files.readAllBytes(bundle.localModel());
        Path model = Files.write(dir.resolve("model.onnx"), original);

        GraphAdditions before = GraphAdditions.needed(model, outputs.tensors(), outputs.pooling());
        assertFalse(before.none());
        assertEquals(bundle.manifest().hiddenStates().stream().filter(t -> !t.equals("last_hidden_state")).toList(),
                before.missing());
        assertEquals(outputs.pooling(), before.append());
        assertTrue(before.prepare(model));

        byte[] prepared = Files.readAllBytes(model);
        assertArrayEquals(original, Arrays.copyOf(prepared, original.length), "only appended to");
        assertTrue(GraphOutputs.declaredOutputs(prepared).contains(outputs.pooling().get(0).outputName()));
        GraphAdditions after = GraphAdditions.needed(model, outputs.tensors(), outputs.pooling());
        assertTrue(after.none());
        assertEquals(outputs.pooling(), after.pooling(), "a pooling already in the file is still the session's");
        assertFalse(after.prepare(model), "a prepared model is left as it is");
        assertArrayEquals(prepared, Files.readAllBytes(model));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(model), files.toList(), "no temporary file left beside it");
        }
    }

    @Test
    void aPreparedModelLoadsInPlaceAndAnswersAsAStagedCopy(@TempDir Path dir) throws Exception {
        ModelBundle bundle = e5();
        BundleOutputs outputs = BundleOutputs.of(bundle.manifest(), true);
        Path plain = Files.copy(bundle.localModel(), dir.resolve("plain.onnx"));
        Path prepared = Files.copy(bundle.localModel(), dir.resolve("prepared.onnx"));
        GraphAdditions.needed(prepared, outputs.tensors(), outputs.pooling()).prepare(prepared);

        String tmp = System.getProperty("java.io.tmpdir");
        float[] inPlace;
        System.setProperty("java.io.tmpdir", dir.resolve("no-such-folder").toString());
        try {
            // No temporary folder to copy into: only a model that needs no copy can load.
            assertThrows(RuntimeException.class,
                    () -> new OnnxSession(new ModelFile(plain, false), outputs.tensors(), outputs.pooling(), CPU));
            try (OnnxSession session = new OnnxSession(new ModelFile(prepared, false), outputs.tensors(),
                    outputs.pooling(), CPU)) {
                inPlace = pooled(session, outputs);
            }
        } finally {
            System.setProperty("java.io.tmpdir", tmp);
        }
        try (OnnxSession session = new OnnxSession(new ModelFile(plain, false), outputs.tensors(), outputs.pooling(),
                CPU)) {
            assertArrayEquals(pooled(session, outputs), inPlace);
        }
        assertTrue(Files.exists(plain) && Files.exists(prepared));
    }

    private static float[] pooled(OnnxSession session, BundleOutputs outputs) throws Exception {
        GraphPooling pooling = outputs.pooling().get(0);
        String name = session.pooledOutput(pooling.mode(), pooling.tensors()).orElseThrow();
        long[] ids = {101, 2023, 2003, 1037, 3231, 102};
        long[] shape = {1, ids.length};
        Map<String, OnnxTensor> inputs = new java.util.HashMap<>();
        inputs.put("input_ids", session.longTensor(ids, shape));
        inputs.put("attention_mask", session.longTensor(new long[] {1, 1, 1, 1, 1, 1}, shape));
        if (session.inputNames().contains("token_type_ids")) {
            inputs.put("token_type_ids", session.longTensor(new long[6], shape));
        }
        return session.run(inputs, Set.of(name)).get(name).data();
    }
}
