package dev.embedder.bundle.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embedder.bundle.BundleLoader;
import dev.embedder.bundle.BundleManifest;
import dev.embedder.bundle.ModelBundle;
import dev.embedder.bundle.PoolingMode;
import dev.embedder.image.ImageEmbedder;
import dev.embedder.image.ImageLimits;
import dev.embedder.image.ImagePreprocessor;
import dev.embedder.image.ImageProcessorConfig;
import dev.embedder.image.Npy;
import dev.embedder.inference.OnnxSession;
import dev.embedder.inference.SessionSettings;
import dev.embedder.pooling.PoolingSpec;
import dev.embedder.testing.Bundles;
import dev.embedder.testing.HfLayouts;
import dev.embedder.testing.VisionFixtures;
import dev.embedder.text.TextEmbedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the files of a Hugging Face directory decide, one rule at a time, on copies of the real layouts:
 * variants, a bundle.json that overrides only what it names, Dense modules, external data, and the errors
 * for models that cannot be served as they are.
 */
class HfLayoutTest {

    private static final BundleLoader LOADER = new BundleLoader(List.of());

    @TempDir
    Path tmp;

    private static BundleManifest load(Path dir) {
        return LOADER.loadDirectory(dir, null).manifest();
    }

    private static String failure(Path dir) {
        return assertThrows(IllegalStateException.class, () -> load(dir)).getMessage();
    }

    @Test
    void theVariantPicksTheOnnxFile() {
        assertEquals("onnx/model_quantized.onnx",
                new BundleLoader(List.of(), "quantized").loadDirectory(HfLayouts.minilm(), null).manifest().file("model"));
        assertEquals("onnx/model_quantized.onnx",
                new BundleLoader(List.of(), "q8").loadDirectory(HfLayouts.minilm(), null).manifest().file("model"));
        String missing = assertThrows(IllegalStateException.class,
                () -> new BundleLoader(List.of(), "fp16").loadDirectory(HfLayouts.minilm(), null)).getMessage();
        assertTrue(missing.contains("no ONNX file for variant 'fp16'") && missing.contains("onnx/model_fp16.onnx")
                && missing.contains("onnx/model.onnx, onnx/model_quantized.onnx"), missing);
    }

    @Test
    void aDirectoryWithoutOnnxListsItsFiles() throws Exception {
        Path dir = HfLayouts.copy(HfLayouts.bge(), tmp.resolve("no-onnx"));
        Files.delete(dir.resolve("onnx/model.onnx"));
        String message = failure(dir);
        assertTrue(message.contains("ONNX files found: none") && message.contains("config.json")
                && message.contains("tokenizer.json") && message.contains("embedder.bundle.variant"), message);
    }

    @Test
    void aBundleJsonOverridesOnlyWhatItNames() throws Exception {
        Path dir = HfLayouts.copy(HfLayouts.bge(), tmp.resolve("override"));
        Files.writeString(dir.resolve("bundle.json"), """
                {"pooling": {"mode": "max"}, "repoId": "BAAI/bge-small-en-v1.5", "maxTokens": 128}
                """);
        BundleManifest m = load(dir);
        assertEquals("max", m.pooling().mode());
        assertEquals(Boolean.TRUE, m.pooling().normalize(), "still from modules.json");
        assertEquals("BAAI/bge-small-en-v1.5", m.repoId());
        assertEquals("bge-small-en-v1.5", m.name());
        assertEquals(128, m.maxTokens());
        assertEquals(13, m.hiddenStates().size(), "still from the graph");
    }

    @Test
    void withoutSentenceTransformersFilesTheTransformersRulesApply() throws Exception {
        Path dir = HfLayouts.copy(HfLayouts.e5(), tmp.resolve("plain"));
        for (String f : List.of("modules.json", "1_Pooling/config.json", "sentence_bert_config.json",
                "config_sentence_transformers.json")) {
            Files.delete(dir.resolve(f));
        }
        Path tokenizerConfig = dir.resolve("tokenizer_config.json");
        Files.writeString(tokenizerConfig, Files.readString(tokenizerConfig)
                .replace("\"model_max_length\": 512", "\"model_max_length\": 1000000000000000019884624838656"));
        BundleManifest m = load(dir);
        assertEquals("mean", m.pooling().mode(), "sentence-transformers' default for an encoder");
        assertEquals(Boolean.TRUE, m.pooling().normalize(), "TEI's default without modules.json");
        assertEquals(512, m.maxTokens(), "model_max_length 1e30 means none: max_position_embeddings");
        assertTrue(m.prompts().isEmpty());
        assertNull(m.repoId(), "a plain folder named 'plain'");
        assertEquals("plain", m.name());
    }

    @Test
    void aDenseModuleProjectsAfterPoolingAsSentenceTransformersDoes() throws Exception {
        Path dir = HfLayouts.copy(HfLayouts.minilm(), tmp.resolve("dense"));
        Files.writeString(dir.resolve("modules.json"), """
                [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                 {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                 {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"},
                 {"idx": 3, "name": "3", "path": "3_Normalize", "type": "sentence_transformers.models.Normalize"}]
                """);
        Files.createDirectories(dir.resolve("2_Dense"));
        Files.writeString(dir.resolve("2_Dense/config.json"), """
                {"in_features": 384, "out_features": 2, "bias": true,
                 "activation_function": "torch.nn.modules.activation.Tanh"}
                """);
        Files.copy(Path.of("src/test/resources/safetensors/dense384.safetensors"), dir.resolve("2_Dense/model.safetensors"));
        JsonNode expected = new ObjectMapper().readTree(Path.of("src/test/resources/safetensors/dense384.expected.json")
                .toFile());
        try (TextEmbedder embedder = Bundles.textEmbedder(dir, 4)) {
            assertEquals(2, embedder.manifest().dimension(), "the last Dense module's out_features");
            List<String> texts = new ArrayList<>();
            expected.path("texts").forEach(t -> texts.add(t.asText()));
            List<float[]> vectors = embedder.embed(texts, new PoolingSpec(PoolingMode.MEAN, List.of(), true), false)
                    .vectors();
            for (int i = 0; i < texts.size(); i++) {
                for (int d = 0; d < 2; d++) {
                    assertEquals(expected.path("embeddings").get(i).get(d).asDouble(), vectors.get(i)[d], 1e-4);
                }
            }
            assertEquals(384, embedder.embed(texts, new PoolingSpec(PoolingMode.MEAN, List.of(-2), false), false)
                    .vectors().get(0).length, "a hidden layer is returned as it is, without the projection");
        }
    }

    @Test
    void leftPaddingFromTheTokenizerConfigWithLastTokenPooling() throws Exception {
        Path dir = HfLayouts.copy(HfLayouts.minilm(), tmp.resolve("left"));
        Path tokenizerConfig = dir.resolve("tokenizer_config.json");
        Files.writeString(tokenizerConfig, Files.readString(tokenizerConfig)
                .replaceFirst("\\{", "{\"padding_side\": \"left\","));
        Files.writeString(dir.resolve("1_Pooling/config.json"), """
                {"embedding_dimension": 384, "pooling_mode": "lasttoken", "include_prompt": true}
                """);
        JsonNode golden = new ObjectMapper().readTree(Path.of("src/test/resources/golden/padding-all-minilm-l6-v2.json")
                .toFile());
        try (TextEmbedder embedder = Bundles.textEmbedder(dir, 8)) {
            assertEquals("left", embedder.manifest().paddingSide());
            List<String> texts = new ArrayList<>();
            golden.path("texts").forEach(t -> texts.add(t.asText()));
            // One micro-batch of three lengths, padded on the left, as the golden's second run (the service's plan
            // would run the longest text alone: it is cheaper than padding the two short ones up to it).
            PoolingSpec lastToken = new PoolingSpec(PoolingMode.LAST_TOKEN, List.of(), false);
            var tokens = embedder.tokenize(texts, false);
            List<float[]> vectors = TextEmbedder.finish(tokens, embedder.poolAsOneBatch(tokens, lastToken), lastToken)
                    .vectors();
            for (int i = 0; i < texts.size(); i++) {
                for (int d = 0; d < 384; d++) {
                    assertEquals(golden.path("left").path("last_token").get(i).get(d).asDouble(), vectors.get(i)[d],
                            1e-4, "sentence " + i);
                }
            }
        }
    }

    @Test
    void poolingsTheModelCannotDoAreStartupErrors() throws Exception {
        Path dir = HfLayouts.copy(HfLayouts.minilm(), tmp.resolve("weighted"));
        Files.writeString(dir.resolve("1_Pooling/config.json"), """
                {"word_embedding_dimension": 384, "pooling_mode_cls_token": false, "pooling_mode_mean_tokens": false,
                 "pooling_mode_weightedmean_tokens": true}
                """);
        String message = failure(dir);
        assertTrue(message.contains("weightedmean") && message.contains("\"pooling\": {\"mode\""), message);
        Files.writeString(dir.resolve("1_Pooling/config.json"), """
                {"embedding_dimension": 384, "pooling_mode": ["cls", "mean"], "include_prompt": true}
                """);
        assertTrue(failure(dir).contains("[cls, mean] concatenated"));
        Files.writeString(dir.resolve("1_Pooling/config.json"), """
                {"embedding_dimension": 384, "pooling_mode": "lasttoken", "include_prompt": true}
                """);
        assertEquals("last_token", load(dir).pooling().mode(), "the v5.4+ format");
    }

    @Test
    void aTokenizerOfAnotherModelIsRefused() throws Exception {
        Path dir = HfLayouts.copy(HfLayouts.minilm(), tmp.resolve("mismatch"));
        Path config = dir.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"vocab_size\": 30522", "\"vocab_size\": 21128"));
        String message = failure(dir);
        assertTrue(message.contains("tokenizer.json has token ids up to 30521") && message.contains("vocab_size 21128"),
                message);
    }

    @Test
    void undecidableHiddenLayersNameTheManifestKey() throws Exception {
        Path dir = HfLayouts.copy(HfLayouts.minilm(), tmp.resolve("layers"));
        Path config = dir.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"num_hidden_layers\": 6", "\"num_hidden_layers\": 8"));
        String message = failure(dir);
        assertTrue(message.contains("num_hidden_layers = 8") && message.contains("\"hiddenStates\""), message);
        Files.writeString(dir.resolve("bundle.json"), "{\"hiddenStates\": []}");
        assertTrue(load(dir).hiddenStates().isEmpty(), "the manifest key settles it");
    }

    @Test
    void aTextDirectoryWithoutATokenizerOrAnImageOneWithoutItsProcessorSaysSo() throws Exception {
        Path dir = HfLayouts.copy(HfLayouts.bge(), tmp.resolve("no-tokenizer"));
        Files.delete(dir.resolve("tokenizer.json"));
        String message = failure(dir);
        assertTrue(message.contains("neither tokenizer.json (text) nor preprocessor_config.json (image)"), message);
    }

    @Test
    void externalDataTravelsWithTheModelAndTheStructureFindsTheLayers() throws Exception {
        Path dir = Path.of("src/test/resources/hf-external/tiny-vit");
        ModelBundle bundle = LOADER.loadDirectory(dir, null);
        BundleManifest m = bundle.manifest();
        assertEquals("onnx/model.onnx", m.file("model"));
        assertEquals(3, m.hiddenStates().size(), "found in the graph: hidden_states.* were removed from its outputs");
        JsonNode golden = new ObjectMapper().readTree(VisionFixtures.dir().resolve("golden.json").toFile())
                .path("models").path("tiny-vit").path("images").path("chelsea_451x300.png");
        float[] pixels = Npy.read(VisionFixtures.dir().resolve("models/tiny-vit/pixel_values__chelsea_451x300.png.npy"))
                .data();
        List<String> tensors = new ArrayList<>(m.hiddenStates());
        tensors.add(m.pooling().output());
        try (ImageEmbedder embedder = new ImageEmbedder(m, new ImagePreprocessor(
                ImageProcessorConfig.read(dir.resolve("preprocessor_config.json")), ImageLimits.DEFAULTS),
                new OnnxSession(bundle.stageModel(), tensors, new SessionSettings(1, 1, "all")))) {
            for (int layer = 0; layer < 3; layer++) {
                float[] v = embedder.embedPixels(List.of(pixels), new PoolingSpec(PoolingMode.MEAN, List.of(layer),
                        false, true)).vectors().get(0);
                JsonNode expected = golden.path("mean_all_tokens_per_hidden_state").get(layer);
                for (int d = 0; d < v.length; d++) {
                    assertEquals(expected.get(d).asDouble(), v[d], 1e-4, "layer " + layer);
                }
            }
        }
    }
}
