package dev.embedder.batching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.bundle.PoolingMode;
import dev.embedder.error.OverloadedException;
import dev.embedder.pooling.PoolingSpec;
import dev.embedder.testing.Bundles;
import dev.embedder.testing.Golden;
import dev.embedder.text.TextEmbedder;
import dev.embedder.text.TokenizedText;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TextBatcherTest {

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
    void concurrentCallersGetTheirOwnGoldenVectors() throws Exception {
        Golden golden = Golden.load("all-minilm-l6-v2");
        PoolingSpec mean = new PoolingSpec(PoolingMode.MEAN, List.of(), false);
        PoolingSpec layer = new PoolingSpec(PoolingMode.MEAN, List.of(-2), false);
        ExecutorService callers = Executors.newFixedThreadPool(12);
        try (TextBatcher batcher = new TextBatcher(embedder, new BatchingSettings(true, 4096, 1, 10_000))) {
            List<Future<?>> futures = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < golden.sentences().size(); i++) {
                    int index = i;
                    // Mixed pooling specs in flight at once: each must come back with its own.
                    PoolingSpec spec = index % 3 == 0 ? layer : mean;
                    futures.add(callers.submit(() -> {
                        Golden.Sentence s = golden.sentences().get(index);
                        List<TokenizedText> tokens = embedder.tokenize(List.of(s.text()), true);
                        float[] v = batcher.pool(tokens, spec)[0];
                        float[] expected = spec == layer ? s.mean_layer_minus2() : s.mean();
                        assertTrue(Golden.maxAbsDiff(expected, v) <= 1e-4, "sentence " + index);
                    }));
                }
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aFullQueueRefusesInsteadOfGrowing() throws Exception {
        TextBatcher stalled = new TextBatcher(embedder, new BatchingSettings(true, 4096, 0, 3), false);
        List<TokenizedText> three = embedder.tokenize(List.of("one", "two", "three"), true);
        PoolingSpec spec = new PoolingSpec(PoolingMode.MEAN, List.of(), true);
        Thread waiting = new Thread(() -> {
            try {
                stalled.pool(three, spec);
            } catch (RuntimeException expected) {
                // completed exceptionally by close()
            }
        });
        waiting.start();
        while (stalled.queuedForTest() < 3) {
            Thread.onSpinWait();
        }
        assertThrows(OverloadedException.class, () -> stalled.pool(embedder.tokenize(List.of("four"), true), spec));
        stalled.close();
        waiting.join(5000);
    }

    @Test
    void aLoneRequestRunsAsItsOwnRoundAndLeavesTheCallersTimingsInPlace() {
        try (TextBatcher batcher = new TextBatcher(embedder, new BatchingSettings(true, 4096, 0, 100))) {
            PoolingSpec mean = new PoolingSpec(PoolingMode.MEAN, List.of(), false);
            List<TokenizedText> one = embedder.tokenize(List.of("a lone sentence"), false);
            dev.embedder.observability.RequestTimings outer = dev.embedder.observability.RequestTimings.beginRound();
            try {
                float[][] viaBatcher = batcher.pool(one, mean);
                assertSame(outer, dev.embedder.observability.RequestTimings.current(),
                        "the round run on the caller's thread must hand the caller's timings back");
                assertArrayEquals(embedder.pool(one, mean)[0], viaBatcher[0], 1e-6f);
                assertEquals(0, batcher.queuedForTest());
            } finally {
                outer.endRound();
            }
        }
    }

    @Test
    void batchedEqualsDirect() {
        Golden golden = Golden.load("all-minilm-l6-v2");
        PoolingSpec spec = new PoolingSpec(PoolingMode.CLS, List.of(), true);
        try (TextBatcher batcher = new TextBatcher(embedder, new BatchingSettings(true, 16384, 0, 1000))) {
            List<TokenizedText> tokens = embedder.tokenize(golden.texts(), true);
            float[][] viaBatcher = batcher.pool(tokens, spec);
            float[][] direct = embedder.pool(tokens, spec);
            for (int i = 0; i < direct.length; i++) {
                assertArrayEquals(direct[i], viaBatcher[i], 1e-6f);
            }
        }
    }
}
