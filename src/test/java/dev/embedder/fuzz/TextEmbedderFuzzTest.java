package dev.embedder.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.bundle.PoolingMode;
import dev.embedder.error.EmbedderException;
import dev.embedder.error.InputTooLargeException;
import dev.embedder.pooling.PoolingSpec;
import dev.embedder.testing.Bundles;
import dev.embedder.text.TextEmbedder;
import dev.embedder.text.TextEmbeddings;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Arbitrary Unicode through the text path (tokenizer, micro-batching, ONNX Runtime, pooling): lone surrogates,
 * control characters, every plane, texts far over the token limit. Whatever comes in, the answer is either one
 * finite vector per text, in the caller's order and unit-length when normalised, or a documented
 * {@link EmbedderException}. Seeded and bounded: 200 tries, the same ones on every run.
 */
class TextEmbedderFuzzTest {

    private static TextEmbedder embedder;

    @BeforeContainer
    static void open() {
        embedder = Bundles.textEmbedder("all-minilm-l6-v2", 8);
    }

    @AfterContainer
    static void close() {
        embedder.close();
    }

    @Property(tries = 200, seed = "20261127", shrinking = ShrinkingMode.OFF)
    void anyTextsGiveOrderedFiniteVectorsOrADocumentedError(@ForAll("texts") List<String> texts,
            @ForAll boolean truncate, @ForAll boolean normalize, @ForAll boolean cls) {
        PoolingSpec spec = new PoolingSpec(cls ? PoolingMode.CLS : PoolingMode.MEAN, List.of(), normalize);
        TextEmbeddings result;
        try {
            result = embedder.embed(texts, spec, truncate);
        } catch (InputTooLargeException e) {
            assertTrue(!truncate && e.getMessage().contains("token limit"), e.getMessage());
            return;
        } catch (EmbedderException e) {
            // Documented, mapped to a 4xx/5xx by the adapters; but none is expected for plain text.
            throw new AssertionError("unexpected " + e.type() + ": " + e.getMessage(), e);
        }
        assertEquals(texts.size(), result.vectors().size());
        for (float[] v : result.vectors()) {
            assertEquals(384, v.length);
            double norm = 0;
            for (float x : v) {
                assertTrue(Float.isFinite(x), "non-finite component");
                norm += (double) x * x;
            }
            if (normalize) {
                assertEquals(1.0, Math.sqrt(norm), 1e-4);
            }
        }
        // Order: the last text embedded alone gives the vector at its position in the batch.
        int last = texts.size() - 1;
        float[] alone = embedder.embed(List.of(texts.get(last)), spec, true).vectors().get(0);
        float[] inBatch = result.vectors().get(last);
        for (int i = 0; i < alone.length; i++) {
            assertEquals(alone[i], inBatch[i], 2e-4, "component " + i + " of text " + last);
        }
    }

    @Provide
    Arbitrary<List<String>> texts() {
        Arbitrary<String> anyChars = Arbitraries.strings().all().ofMinLength(0).ofMaxLength(300);
        Arbitrary<String> hostile = Arbitraries.strings()
                .withChars('\ud800', '\udfff', '\u0000', '\u0007', '\u001b', '\u200b', '\ufeff', '\u202e', '\uffff')
                .withCharRange('\u0300', '\u036f') // combining marks
                .withCharRange('a', 'z')
                .ofMinLength(1).ofMaxLength(200);
        Arbitrary<String> emoji = Arbitraries.strings().withCharRange('\u4e00', '\u4e20').ofMaxLength(60)
                .map(s -> s + "\ud83d\ude00\ud83c\udff3\ufe0f\u200d\ud83c\udf08");
        // Far over the 256-token limit, but under the service's character limit.
        Arbitrary<String> long1 = Arbitraries.integers().between(300, 3000).map(n -> "word ".repeat(n));
        Arbitrary<String> text = Arbitraries.frequencyOf(Tuple.of(5, anyChars), Tuple.of(3, hostile),
                Tuple.of(2, emoji), Tuple.of(1, long1));
        return text.list().ofMinSize(1).ofMaxSize(6);
    }
}
