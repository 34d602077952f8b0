package dev.embedder.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embedder.bundle.BundleLoader;
import dev.embedder.bundle.BundleManifest;
import dev.embedder.bundle.Modality;
import dev.embedder.bundle.ModelBundle;
import dev.embedder.bundle.PoolingMode;
import dev.embedder.inference.OnnxSession;
import dev.embedder.inference.SessionSettings;
import dev.embedder.pooling.PoolingSpec;
import dev.embedder.pooling.Vectors;
import dev.embedder.testing.VisionFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ViT-style pooling against Hugging Face transformers itself: tiny random ViT, CLIP-vision and DINOv2
 * models whose pooled hidden states were computed by HF (src/test/resources/hf-vision/golden.json). Fed
 * HF's own pixel tensors, every pooling must match to 1e-4; from the image file through our own
 * preprocessor, the vectors must point the same way.
 */
class ImageEmbedderHfGoldenTest {

    private static final double TOLERANCE = 1e-4;
    private static final List<String> IMAGES = List.of("gradient_320x200.png", "noise_150x260.jpg", "chelsea_451x300.png");

    @ParameterizedTest
    @ValueSource(strings = {"tiny-vit", "tiny-clip-vision", "tiny-dinov2"})
    void poolingMatchesTransformers(String model) throws IOException {
        JsonNode golden = golden().path("models").path(model);
        try (ImageEmbedder embedder = open(model, golden)) {
            Path dir = VisionFixtures.dir().resolve("models").resolve(model);
            List<float[]> pixels = new ArrayList<>();
            for (String image : IMAGES) {
                pixels.add(Npy.read(dir.resolve("pixel_values__" + image + ".npy")).data());
            }
            int hiddenStates = golden.path("onnx_outputs").size() - 1;
            check(embedder.embedPixels(pixels, spec(PoolingMode.MEAN, List.of(), false)), golden, "mean_patch_tokens_last", model);
            check(embedder.embedPixels(pixels, spec(PoolingMode.MEAN, List.of(), true)), golden, "mean_all_tokens_last", model);
            check(embedder.embedPixels(pixels, spec(PoolingMode.CLS, List.of(), false)), golden, "cls_last", model);
            for (int layer = 0; layer < hiddenStates; layer++) {
                var pooled = embedder.embedPixels(pixels, spec(PoolingMode.MEAN, List.of(layer), true));
                for (int i = 0; i < IMAGES.size(); i++) {
                    float[] expected = floats(golden.path("images").path(IMAGES.get(i))
                            .path("mean_all_tokens_per_hidden_state").get(layer));
                    assertClose(expected, pooled.vectors().get(i), model + " hidden state " + layer + " " + IMAGES.get(i));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-vit", "tiny-clip-vision", "tiny-dinov2"})
    void fromTheImageFileTheVectorMatches(String model) throws IOException {
        JsonNode golden = golden().path("models").path(model);
        try (ImageEmbedder embedder = open(model, golden)) {
            for (String image : IMAGES) {
                byte[] bytes = Files.readAllBytes(VisionFixtures.dir().resolve("images").resolve(image));
                float[] actual = embedder.embed(List.of(bytes), spec(PoolingMode.MEAN, List.of(), false)).vectors().get(0);
                float[] expected = floats(golden.path("images").path(image).path("mean_patch_tokens_last"));
                double cosine = Vectors.cosine(expected, actual);
                System.out.printf("%s %s: cosine to HF %.7f%n", model, image, cosine);
                assertTrue(cosine > 0.9999, model + " " + image + " cosine " + cosine);
            }
        }
    }

    private static void check(ImageEmbeddings result, JsonNode golden, String field, String model) {
        for (int i = 0; i < IMAGES.size(); i++) {
            float[] expected = floats(golden.path("images").path(IMAGES.get(i)).path(field));
            assertClose(expected, result.vectors().get(i), model + " " + field + " " + IMAGES.get(i));
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(max <= TOLERANCE, what + ": max-abs diff " + max);
    }

    private static PoolingSpec spec(PoolingMode mode, List<Integer> layers, boolean includeClass) {
        return new PoolingSpec(mode, layers, false, includeClass);
    }

    /**
     * The fixture folder loaded as it is, with no manifest: config.json, preprocessor_config.json and model.onnx
     * say everything (modality, pixel input, dimension, token layout, hidden states), as ModelRegistry opens it.
     */
    private static ImageEmbedder open(String model, JsonNode golden) throws IOException {
        Path dir = VisionFixtures.dir().resolve("models").resolve(model);
        ModelBundle bundle = new BundleLoader(List.of()).loadDirectory(dir, null);
        BundleManifest manifest = bundle.manifest();
        assertEquals(Modality.IMAGE, manifest.modality());
        assertEquals(new ObjectMapper().readTree(dir.resolve("config.json").toFile()).path("hidden_size").asInt(),
                manifest.dimension());
        List<String> declared = new ArrayList<>();
        golden.path("onnx_outputs").forEach(n -> {
            if (n.asText().startsWith("hidden_states.")) {
                declared.add(n.asText());
            }
        });
        assertEquals(declared, manifest.hiddenStates(), "hidden states found in the graph");
        ImagePreprocessor preprocessor = new ImagePreprocessor(
                ImageProcessorConfig.read(dir.resolve(manifest.file("preprocessor"))), ImageLimits.DEFAULTS);
        List<String> tensors = new ArrayList<>(manifest.hiddenStates());
        tensors.add(manifest.pooling().output());
        OnnxSession session = new OnnxSession(bundle.stageModel(), tensors, new SessionSettings(1, 1, "all"));
        return new ImageEmbedder(manifest, preprocessor, session);
    }

    private static JsonNode golden() throws IOException {
        return new ObjectMapper().readTree(VisionFixtures.dir().resolve("golden.json").toFile());
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }
}
