package dev.embedder.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.bundle.BundleManifest;
import dev.embedder.bundle.ModelBundle;
import dev.embedder.bundle.PoolingMode;
import dev.embedder.pooling.LayerResolver;
import dev.embedder.pooling.PoolingSpec;
import dev.embedder.testing.Bundles;
import dev.embedder.text.TextEmbedder;
import dev.embedder.text.TextPreprocessor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pooling inside the ONNX graph gives the vectors the Java pooling gives, on the same model and the same padded
 * micro-batches (sentences of 7 to 120 tokens, so most rows carry padding the mask must exclude).
 */
class GraphPoolingTest {

    private static final String MODEL = "all-minilm-l6-v2";
    /** What "the same vectors" means here: float rounding of a sum over at most a few hundred tokens. */
    private static final double SAME = 1e-6;
    private static final List<Integer> LAST_FOUR = List.of(-4, -3, -2, -1);
    private static final List<Integer> FIRST_AND_LAST = List.of(0, -1);

    private static TextEmbedder javaPooling;
    private static TextEmbedder graphPooling;
    private static OnnxSession graphSession;
    private static List<String> sentences;

    @BeforeAll
    static void open() throws IOException {
        ModelBundle bundle = Bundles.load(MODEL);
        BundleManifest manifest = bundle.manifest();
        SessionSettings settings = new SessionSettings(1, 1, "all");
        List<String> hidden = manifest.hiddenStates();
        List<GraphPooling> pooling = List.of(
                new GraphPooling(PoolingMode.MEAN, List.of("last_hidden_state")),
                new GraphPooling(PoolingMode.CLS, List.of("last_hidden_state")),
                new GraphPooling(PoolingMode.MEAN, LayerResolver.tensorsFor(LAST_FOUR, hidden, MODEL)),
                new GraphPooling(PoolingMode.CLS, LayerResolver.tensorsFor(FIRST_AND_LAST, hidden, MODEL)));
        graphSession = new OnnxSession(bundle.read("model"), hidden, pooling, settings);
        graphPooling = new TextEmbedder(manifest, new TextPreprocessor(bundle.read("tokenizer"), manifest.maxTokens()),
                graphSession, 32, 16384);
        javaPooling = new TextEmbedder(manifest, new TextPreprocessor(bundle.read("tokenizer"), manifest.maxTokens()),
                new OnnxSession(bundle.read("model"), hidden, settings), 32, 16384);
        try (InputStream in = GraphPoolingTest.class.getClassLoader().getResourceAsStream("bench/corpus.txt")) {
            sentences = Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                    .filter(line -> !line.isBlank()).limit(96).toList();
        }
    }

    @AfterAll
    static void close() {
        graphPooling.close();
        javaPooling.close();
    }

    @Test
    void meanOfTheLastLayer() {
        assertSame(new PoolingSpec(PoolingMode.MEAN, List.of(), false));
        assertSame(new PoolingSpec(PoolingMode.MEAN, List.of(), true));
    }

    @Test
    void clsOfTheLastLayer() {
        assertSame(new PoolingSpec(PoolingMode.CLS, List.of(), false));
    }

    @Test
    void averageOfSeveralLayers() {
        assertSame(new PoolingSpec(PoolingMode.MEAN, LAST_FOUR, false));
        assertSame(new PoolingSpec(PoolingMode.CLS, FIRST_AND_LAST, true));
    }

    @Test
    void aPoolingNotInTheGraphStaysInJava() {
        assertTrue(graphSession.pooledOutput(PoolingMode.MEAN, List.of(javaHidden(-2))).isEmpty());
        // and still gives the Java path's vectors
        assertSame(new PoolingSpec(PoolingMode.MEAN, List.of(-2), false), false);
    }

    @Test
    void theBundleDefaultIsMeanOfItsPooledOutput() {
        BundleManifest manifest = Bundles.load(MODEL).manifest();
        GraphPooling defaults = GraphPooling.forDefaults(manifest).orElseThrow();
        assertEquals(PoolingMode.MEAN, defaults.mode());
        assertEquals(List.of("last_hidden_state"), defaults.tensors());
        assertFalse(defaults.fits(List.of("input_ids")), "mean pooling needs the attention mask input");
        assertTrue(new GraphPooling(PoolingMode.CLS, List.of("x")).fits(List.of("input_ids")));
        assertThrows(IllegalArgumentException.class, () -> new GraphPooling(PoolingMode.MEAN, List.of()));
    }

    private static String javaHidden(int layer) {
        return LayerResolver.tensorsFor(List.of(layer), javaPooling.manifest().hiddenStates(), MODEL).get(0);
    }

    private static void assertSame(PoolingSpec spec) {
        assertSame(spec, true);
    }

    private static void assertSame(PoolingSpec spec, boolean inGraph) {
        assertEquals(inGraph, graphSession.pooledOutput(spec.mode(), graphPooling.outputsFor(spec)).isPresent(),
                "pooled in the graph: " + spec);
        List<float[]> expected = javaPooling.embed(sentences, spec, true).vectors();
        List<float[]> actual = graphPooling.embed(sentences, spec, true).vectors();
        double worst = 0;
        List<Integer> wrongWidth = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            if (expected.get(i).length != actual.get(i).length) {
                wrongWidth.add(i);
                continue;
            }
            for (int d = 0; d < expected.get(i).length; d++) {
                worst = Math.max(worst, Math.abs(expected.get(i)[d] - actual.get(i)[d]));
            }
        }
        assertTrue(wrongWidth.isEmpty(), "vector widths differ at " + wrongWidth);
        assertTrue(worst <= SAME, spec + ": largest difference " + worst);
        System.out.printf("%s: largest difference %.3g over %d sentences%n", spec, worst, expected.size());
    }
}
