package dev.embedder.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.bundle.PoolingMode;
import dev.embedder.pooling.PoolingSpec;
import dev.embedder.testing.Bundles;
import dev.embedder.testing.Golden;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The text path against vectors computed independently (see model-bundle/tools/golden-text): a
 * different tokenizer implementation, a different ONNX Runtime binding, a different way of exposing
 * hidden layers and pooling written separately. All sentences go through one call, so they are
 * length-sorted and padded in micro-batches: equality with the unpadded goldens shows the pooling
 * ignores padding.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TextEmbedderGoldenTest {

    private static final double TOLERANCE = 1e-4;

    private TextEmbedder minilm;
    private TextEmbedder bge;

    @BeforeAll
    void open() {
        minilm = Bundles.textEmbedder("all-minilm-l6-v2", 8);
        bge = Bundles.textEmbedder("bge-small-en-v1.5", 8);
    }

    @AfterAll
    void close() {
        minilm.close();
        bge.close();
    }

    private TextEmbedder embedder(String model) {
        return model.equals("all-minilm-l6-v2") ? minilm : bge;
    }

    @ParameterizedTest
    @ValueSource(strings = {"all-minilm-l6-v2", "bge-small-en-v1.5"})
    void tokenIdsMatchTheIndependentTokenizer(String model) {
        Golden golden = Golden.load(model);
        assertTrue(golden.sentences().size() >= 20, "at least 20 golden sentences");
        List<TokenizedText> tokens = embedder(model).preprocessor().tokenize(golden.texts());
        for (int i = 0; i < tokens.size(); i++) {
            Golden.Sentence s = golden.sentences().get(i);
            assertArrayEquals(s.input_ids(), tokens.get(i).ids(), "token ids of sentence " + i + ": " + s.text());
            assertEquals(s.truncated(), tokens.get(i).truncated(), "truncation flag of sentence " + i);
        }
        assertTrue(golden.sentences().stream().anyMatch(Golden.Sentence::truncated), "goldens include an over-long text");
    }

    @ParameterizedTest
    @ValueSource(strings = {"all-minilm-l6-v2", "bge-small-en-v1.5"})
    void meanPoolingMatchesGolden(String model) {
        check(model, new PoolingSpec(PoolingMode.MEAN, List.of(), false), Golden.Sentence::mean);
        check(model, new PoolingSpec(PoolingMode.MEAN, List.of(), true), Golden.Sentence::mean_normalized);
    }

    @ParameterizedTest
    @ValueSource(strings = {"all-minilm-l6-v2", "bge-small-en-v1.5"})
    void clsPoolingMatchesGolden(String model) {
        check(model, new PoolingSpec(PoolingMode.CLS, List.of(), false), Golden.Sentence::cls);
    }

    @ParameterizedTest
    @ValueSource(strings = {"all-minilm-l6-v2", "bge-small-en-v1.5"})
    void intermediateLayersMatchGolden(String model) {
        check(model, new PoolingSpec(PoolingMode.MEAN, List.of(-2), false), Golden.Sentence::mean_layer_minus2);
        check(model, new PoolingSpec(PoolingMode.MEAN, List.of(-4, -3, -2, -1), false), Golden.Sentence::mean_layers_last4);
        check(model, new PoolingSpec(PoolingMode.MEAN, List.of(0), false), Golden.Sentence::mean_layer_0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"all-minilm-l6-v2", "bge-small-en-v1.5"})
    void lastLayerByIndexIsTheGraphsLastHiddenState(String model) {
        Golden golden = Golden.load(model);
        TextEmbedder embedder = embedder(model);
        var viaIndex = embedder.embed(golden.texts(), new PoolingSpec(PoolingMode.MEAN, List.of(-1), false), true);
        var viaOutput = embedder.embed(golden.texts(), new PoolingSpec(PoolingMode.MEAN, List.of(), false), true);
        var secondLast = embedder.embed(golden.texts(), new PoolingSpec(PoolingMode.MEAN, List.of(-2), false), true);
        var secondLastAgain = embedder.embed(golden.texts(), new PoolingSpec(PoolingMode.MEAN, List.of(-2), false), true);
        for (int i = 0; i < golden.sentences().size(); i++) {
            assertArrayEquals(viaOutput.vectors().get(i), viaIndex.vectors().get(i), "layer -1 == last_hidden_state");
            assertTrue(Golden.maxAbsDiff(viaOutput.vectors().get(i), secondLast.vectors().get(i)) > 1e-2,
                    "layer -2 differs from the last layer");
            assertArrayEquals(secondLast.vectors().get(i), secondLastAgain.vectors().get(i), "layer -2 is stable");
        }
    }

    private void check(String model, PoolingSpec spec, Function<Golden.Sentence, float[]> expected) {
        Golden golden = Golden.load(model);
        TextEmbeddings result = embedder(model).embed(golden.texts(), spec, true);
        double worst = 0;
        for (int i = 0; i < golden.sentences().size(); i++) {
            double diff = Golden.maxAbsDiff(expected.apply(golden.sentences().get(i)), result.vectors().get(i));
            worst = Math.max(worst, diff);
            assertTrue(diff <= TOLERANCE, model + " " + spec + " sentence " + i + " max-abs diff " + diff);
        }
        System.out.printf("%s %s: worst max-abs diff %.2e over %d sentences%n", model, spec, worst,
                golden.sentences().size());
    }
}
