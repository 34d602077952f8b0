package dev.embedder.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embedder.image.Npy;
import dev.embedder.testing.HfLayouts;
import dev.embedder.testing.VisionFixtures;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The structural search for hidden states against tensors named by others: the hidden_states.* outputs that
 * transformers' own export declared in the tiny vision models (pre-norm residual stream), and the layer-norm
 * names the independent golden tool exposes in the BERT exports (post-norm).
 */
class HiddenStateFinderTest {

    @ParameterizedTest
    @ValueSource(strings = {"tiny-vit", "tiny-clip-vision", "tiny-dinov2"})
    void preNormStructureGivesTheTensorsTransformersDeclared(String model) throws Exception {
        Path dir = VisionFixtures.dir().resolve("models").resolve(model);
        OnnxGraph graph = OnnxGraph.read(dir.resolve("model.onnx"));
        int layers = new ObjectMapper().readTree(dir.resolve("config.json").toFile()).path("num_hidden_layers").asInt();
        HiddenStateFinder finder = new HiddenStateFinder(graph);
        List<String> declared = finder.find(layers).tensors();
        assertEquals(layers + 1, declared.size());
        assertTrue(declared.get(0).equals("hidden_states.0"), declared.toString());
        HiddenStateFinder.Found structural = finder.findByStructure(layers);
        assertTrue(structural.method().startsWith("pre-norm"), structural.method());
        assertEquals(layers + 1, structural.tensors().size());

        // Same values, tensor by tensor, on HF's own pixel tensor (names may differ: CLIP's last one is
        // last_hidden_state, of which hidden_states.2 is an Identity copy).
        List<String> all = new ArrayList<>(declared);
        structural.tensors().stream().filter(t -> !all.contains(t)).forEach(all::add);
        float[] pixels = Npy.read(dir.resolve("pixel_values__chelsea_451x300.png.npy")).data();
        try (OnnxSession session = new OnnxSession(ModelFile.copyOf(java.nio.file.Files.readAllBytes(
                dir.resolve("model.onnx"))), all, new SessionSettings(1, 1, "all"))) {
            OnnxTensor input = OnnxTensor.createTensor(session.environment(), FloatBuffer.wrap(pixels),
                    new long[] {1, 3, 224, 224});
            Map<String, Tensor> out = session.run(Map.of("pixel_values", input), new LinkedHashSet<>(all));
            for (int i = 0; i < declared.size(); i++) {
                float[] a = out.get(declared.get(i)).data();
                float[] b = out.get(structural.tensors().get(i)).data();
                assertEquals(a.length, b.length);
                for (int k = 0; k < a.length; k++) {
                    assertEquals(a[k], b[k], 0f, model + " hidden state " + i + " (" + structural.tensors().get(i) + ")");
                }
            }
        }
    }

    @Test
    void postNormStructureGivesTheLayerNormOutputs() {
        OnnxGraph graph = OnnxGraph.read(HfLayouts.e5().resolve("model.onnx"));
        HiddenStateFinder.Found found = new HiddenStateFinder(graph).find(12);
        assertTrue(found.method().startsWith("post-norm"), found.method());
        List<String> expected = new ArrayList<>(List.of("/embeddings/LayerNorm/Add_1_output_0"));
        for (int i = 0; i < 11; i++) {
            expected.add("/encoder/layer." + i + "/output/LayerNorm/Add_1_output_0");
        }
        expected.add("last_hidden_state");
        assertEquals(expected, found.tensors());
    }

    @Test
    void theInt8ExportHasTheSameStructure() {
        OnnxGraph graph = OnnxGraph.read(HfLayouts.minilm().resolve("onnx/model_quantized.onnx"));
        List<String> found = new HiddenStateFinder(graph).find(6).tensors();
        assertEquals(7, found.size());
        assertEquals("last_hidden_state", found.get(6));
    }

    @Test
    void aWrongLayerCountOrNoLayerNormIsUndecidable() {
        OnnxGraph bert = OnnxGraph.read(HfLayouts.e5().resolve("model.onnx"));
        var e = assertThrows(HiddenStateFinder.Undecidable.class, () -> new HiddenStateFinder(bert).find(24));
        assertTrue(e.getMessage().contains("num_hidden_layers = 24"), e.getMessage());
        OnnxGraph cnn = OnnxGraph.read(Path.of("target/classes/model-bundle/mobilenet-v2-nsfwjs/model.onnx"));
        var none = assertThrows(HiddenStateFinder.Undecidable.class, () -> new HiddenStateFinder(cnn).find(null));
        assertTrue(none.getMessage().contains("no layer norms"), none.getMessage());
    }

    @Test
    void graphInputsAndOutputsAreRead() {
        OnnxGraph graph = OnnxGraph.read(HfLayouts.bge().resolve("onnx/model.onnx"));
        assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"),
                graph.feedInputs().stream().map(OnnxGraph.Value::name).toList());
        assertEquals(2, graph.feedInputs().get(0).rank());
        assertEquals(List.of("last_hidden_state"), graph.outputNames());
        assertEquals(3, graph.outputs().get(0).rank());
        assertTrue(graph.externalDataFiles().isEmpty());
    }
}
