package dev.embedder.bundle.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.bundle.BundleManifest;
import dev.embedder.bundle.PoolingMode;
import dev.embedder.pooling.PoolingSpec;
import dev.embedder.service.Prompts;
import dev.embedder.testing.Bundles;
import dev.embedder.testing.Golden;
import dev.embedder.testing.HfLayouts;
import dev.embedder.text.TextEmbedder;
import dev.embedder.text.TextEmbeddings;
import dev.embedder.text.TokenizedText;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * all-MiniLM-L6-v2, bge-small-en-v1.5 and e5-small-v2 laid out as their Hugging Face repos are (no
 * bundle.json), loaded from their files alone, against the independent JS pipeline's vectors
 * (model-bundle/tools/golden-text): the model's own pooling and normalisation (MiniLM mean, bge CLS, e5 mean
 * with its query/passage prompts), and one intermediate layer found by graph analysis, checked against the
 * tensor the JS tool exposes by name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HfTextGoldenTest {

    private static final double TOLERANCE = 1e-4;

    private TextEmbedder minilm;
    private TextEmbedder bge;
    private TextEmbedder e5;

    @BeforeAll
    void open() {
        minilm = Bundles.textEmbedder(HfLayouts.minilm(), 8);
        bge = Bundles.textEmbedder(HfLayouts.bge(), 8);
        e5 = Bundles.textEmbedder(HfLayouts.e5(), 8);
    }

    @AfterAll
    void close() {
        minilm.close();
        bge.close();
        e5.close();
    }

    @Test
    void factsComeFromTheFiles() {
        BundleManifest m = minilm.manifest();
        assertEquals("all-MiniLM-L6-v2", m.name());
        assertEquals("sentence-transformers/all-MiniLM-L6-v2", m.repoId(), "repo id from the Hub cache path");
        assertEquals(384, m.dimension());
        assertEquals(256, m.maxTokens(), "sentence_bert_config.json max_seq_length wins over model_max_length 512");
        assertEquals("onnx/model.onnx", m.file("model"));
        assertEquals("mean", m.pooling().mode());
        assertEquals(Boolean.TRUE, m.pooling().normalize());
        // The tensors the JS tool exposes by name (expose_hidden_states.py) and the built-in bundle lists.
        assertEquals(Bundles.load("all-minilm-l6-v2").manifest().hiddenStates(), m.hiddenStates());

        BundleManifest b = bge.manifest();
        assertEquals("bge-small-en-v1.5", b.name());
        assertEquals(null, b.repoId(), "a plain folder says no repo id (config.json _name_or_path is a local path)");
        assertEquals("cls", b.pooling().mode());
        assertEquals(512, b.maxTokens());
        assertEquals(Bundles.load("bge-small-en-v1.5").manifest().hiddenStates(), b.hiddenStates());

        BundleManifest e = e5.manifest();
        assertEquals("intfloat/e5-small-v2", e.repoId());
        assertEquals("model.onnx", e.file("model"), "root model.onnx when there is no onnx/ folder");
        assertEquals(13, e.hiddenStates().size(), "12 layers + embeddings, as config.json num_hidden_layers says");
        assertEquals("query: ", e.prompts().get("query"));
        assertEquals("passage: ", e.prompts().get("passage"));
    }

    @Test
    void tokensMatchTheIndependentTokenizer() {
        for (TextEmbedder embedder : List.of(minilm, bge, e5)) {
            Golden golden = Golden.load(goldenName(embedder));
            List<TokenizedText> tokens = embedder.preprocessor().tokenize(golden.texts());
            for (int i = 0; i < tokens.size(); i++) {
                assertArrayEquals(golden.sentences().get(i).input_ids(), tokens.get(i).ids(),
                        embedder.manifest().name() + " sentence " + i);
            }
        }
    }

    @Test
    void minilmUsesItsOwnPoolingAndNormalisation() {
        check(minilm, defaults(minilm, List.of()), Golden.Sentence::mean_normalized, null);
        check(minilm, defaults(minilm, List.of(-2)), Golden.Sentence::mean_layer_minus2, null);
    }

    @Test
    void bgePoolsItsClsToken() {
        check(bge, defaults(bge, List.of()), Golden.Sentence::cls_normalized, null);
        check(bge, new PoolingSpec(PoolingMode.MEAN, List.of(-2), false), Golden.Sentence::mean_layer_minus2, null);
    }

    @Test
    void e5WithAndWithoutItsPrompts() {
        check(e5, defaults(e5, List.of()), Golden.Sentence::mean_normalized, null);
        check(e5, defaults(e5, List.of()), Golden.Sentence::query_mean_normalized, "query");
        check(e5, defaults(e5, List.of()), Golden.Sentence::passage_mean_normalized, "passage");
        check(e5, new PoolingSpec(PoolingMode.MEAN, List.of(-2), false), Golden.Sentence::query_mean_layer_minus2, "query");
        // The prompt's tokens are part of the sequence, as TEI counts them.
        Golden golden = Golden.load("e5-small-v2");
        List<String> texts = Prompts.resolve(e5.manifest(), "query", null).apply(golden.texts());
        TextEmbeddings result = e5.embed(texts, defaults(e5, List.of()), true);
        long expected = golden.sentences().stream().mapToLong(s -> s.query_input_ids().length).sum();
        assertEquals(expected, result.totalTokens());
    }

    private static PoolingSpec defaults(TextEmbedder embedder, List<Integer> layers) {
        BundleManifest.Pooling p = embedder.manifest().pooling();
        return new PoolingSpec(PoolingMode.parse(p.mode()), layers, layers.isEmpty() && Boolean.TRUE.equals(p.normalize()));
    }

    private static String goldenName(TextEmbedder embedder) {
        return embedder.manifest().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static void check(TextEmbedder embedder, PoolingSpec spec, Function<Golden.Sentence, float[]> field,
            String promptName) {
        Golden golden = Golden.load(goldenName(embedder));
        List<String> texts = Prompts.resolve(embedder.manifest(), promptName, null).apply(golden.texts());
        List<float[]> vectors = embedder.embed(texts, spec, true).vectors();
        double worst = 0;
        for (int i = 0; i < vectors.size(); i++) {
            float[] expected = field.apply(golden.sentences().get(i));
            assertEquals(expected.length, vectors.get(i).length);
            for (int d = 0; d < expected.length; d++) {
                worst = Math.max(worst, Math.abs(expected[d] - vectors.get(i)[d]));
            }
        }
        System.out.printf("%s %s prompt=%s: max abs diff %.2e%n", embedder.manifest().name(), spec, promptName, worst);
        assertTrue(worst <= TOLERANCE, embedder.manifest().name() + " " + spec + ": max abs diff " + worst);
    }
}
