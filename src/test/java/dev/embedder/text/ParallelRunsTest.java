package dev.embedder.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.bundle.PoolingMode;
import dev.embedder.inference.SessionSettings;
import dev.embedder.pooling.PoolingSpec;
import dev.embedder.testing.Bundles;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Micro-batches run side by side give every input the vector it gets when they run one after another, in the
 * caller's order, also when several callers share the run threads at once. (The golden tests check the values
 * themselves through the same parallel path: testing.Bundles builds embedders with the service's default.)
 */
class ParallelRunsTest {

    @Test
    void sideBySideEqualsOneAfterAnother() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            // Lengths from 3 to 120 words, shuffled, so the plan has many micro-batches of different shapes.
            texts.add(String.join(" ", java.util.Collections.nCopies(3 + (i * 37) % 118, "word" + (i % 7))));
        }
        PoolingSpec spec = new PoolingSpec(PoolingMode.MEAN, List.of(), true);
        try (TextEmbedder sequential = embedder(1)) {
            List<float[]> expected = sequential.embed(texts, spec, true).vectors();
            try (TextEmbedder parallel = embedder(3)) {
                assertTrue(parallel.microBatches(parallel.tokenize(texts, true)).size() > 3);
                List<Thread> callers = new ArrayList<>();
                List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
                for (int c = 0; c < 3; c++) {
                    Thread caller = new Thread(() -> {
                        try {
                            List<float[]> got = parallel.embed(texts, spec, true).vectors();
                            assertEquals(expected.size(), got.size());
                            for (int i = 0; i < got.size(); i++) {
                                assertArrayEquals(expected.get(i), got.get(i), 1e-6f, "input " + i);
                            }
                        } catch (Throwable t) {
                            failures.add(t);
                        }
                    });
                    callers.add(caller);
                    caller.start();
                }
                for (Thread caller : callers) {
                    caller.join();
                }
                assertEquals(List.of(), failures);
            }
        }
    }

    private static TextEmbedder embedder(int parallelRuns) {
        var bundle = Bundles.load("all-minilm-l6-v2");
        var manifest = bundle.manifest();
        return new TextEmbedder(manifest, new TextPreprocessor(bundle.read("tokenizer"), manifest.maxTokens()),
                new dev.embedder.inference.OnnxSession(bundle.read("model"), manifest.hiddenStates(),
                        dev.embedder.inference.GraphPooling.forDefaults(manifest).stream().toList(),
                        new SessionSettings(2, 1, "all")),
                8, 16384, List.of(), parallelRuns);
    }
}
