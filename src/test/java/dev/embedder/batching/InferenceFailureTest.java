package dev.embedder.batching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.bundle.PoolingMode;
import dev.embedder.error.InferenceException;
import dev.embedder.pooling.PoolingSpec;
import dev.embedder.testing.Bundles;
import dev.embedder.text.TextEmbedder;
import dev.embedder.text.TokenizedText;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * ONNX Runtime failing on one request must not poison the next: token ids beyond the vocabulary make the
 * embedding lookup fail inside the graph (no API request can produce them, the tokenizer never does), and the
 * batcher's worker, the session and the queue accounting must all be fine for the request after it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InferenceFailureTest {

    private TextEmbedder embedder;

    @BeforeAll
    void open() {
        embedder = Bundles.textEmbedder("all-minilm-l6-v2", 32);
    }

    @AfterAll
    void close() {
        embedder.close();
    }

    @Test
    void aFailedRunLeavesTheBatcherAndSessionUsable() {
        PoolingSpec spec = new PoolingSpec(PoolingMode.MEAN, List.of(), true);
        List<TokenizedText> good = embedder.tokenize(List.of("a perfectly ordinary sentence"), false);
        TokenizedText poison = new TokenizedText(new long[] {101, 1_000_000_000L, 102}, new long[3], false);
        try (TextBatcher batcher = new TextBatcher(embedder, new BatchingSettings(true, 4096, 0, 100))) {
            float[] before = batcher.pool(good, spec)[0];
            for (int round = 0; round < 3; round++) {
                InferenceException e = assertThrows(InferenceException.class, () -> batcher.pool(List.of(poison), spec));
                assertTrue(e.getMessage().startsWith("inference failed"), e.getMessage());
                assertArrayEquals(before, batcher.pool(good, spec)[0], 1e-6f, "round " + round);
            }
            assertTrue(batcher.queuedForTest() == 0, "queue accounting after failures: " + batcher.queuedForTest());
        }
        // The direct path (batching off) recovers the same way.
        assertThrows(InferenceException.class, () -> embedder.pool(List.of(poison), spec));
        assertTrue(embedder.pool(good, spec)[0].length == 384);
    }
}
