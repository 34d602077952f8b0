package dev.embedder.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.testing.Bundles;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphOutputsTest {

    @Test
    void readsTheDeclaredOutputsOfARealExport() {
        byte[] model = Bundles.load("all-minilm-l6-v2").read("model");
        assertEquals(List.of("last_hidden_state"), GraphOutputs.declaredOutputs(model));
    }

    @Test
    void appendedOutputsAreDeclaredAfterTheOriginalOnes() {
        byte[] model = Bundles.load("all-minilm-l6-v2").read("model");
        byte[] edited = GraphOutputs.withFloatOutputs(model,
                List.of("/encoder/layer.4/output/LayerNorm/Add_1_output_0", "/embeddings/LayerNorm/Add_1_output_0"));
        assertEquals(List.of("last_hidden_state", "/encoder/layer.4/output/LayerNorm/Add_1_output_0",
                "/embeddings/LayerNorm/Add_1_output_0"), GraphOutputs.declaredOutputs(edited));
    }

    @Test
    void onnxRuntimeServesTheExposedTensors() {
        var bundle = Bundles.load("all-minilm-l6-v2");
        try (OnnxSession session = new OnnxSession(bundle.read("model"), bundle.manifest().hiddenStates(),
                new SessionSettings(1, 1, "all"))) {
            assertEquals(7, session.outputNames().size());
            assertTrue(session.outputNames().containsAll(bundle.manifest().hiddenStates()));
        }
    }

    @Test
    void garbageIsNotAModel() {
        assertThrows(IllegalArgumentException.class, () -> GraphOutputs.declaredOutputs(new byte[] {0x3A, 0x7F}));
    }
}
