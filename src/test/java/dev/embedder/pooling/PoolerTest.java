package dev.embedder.pooling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.embedder.inference.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolerTest {

    // batch 2, tokens 3, dim 2; the second sequence has one padding token holding garbage.
    private final Tensor hidden = new Tensor(new float[] {
        1, 2, 3, 4, 5, 6,
        10, 20, 30, 40, 999, 999}, new long[] {2, 3, 2});

    @Test
    void maskedMeanIgnoresPadding() {
        float[][] out = Pooler.maskedMean(hidden, new long[] {1, 1, 1, 1, 1, 0});
        assertArrayEquals(new float[] {3, 4}, out[0]);
        assertArrayEquals(new float[] {20, 30}, out[1]);
    }

    @Test
    void firstTokenIsCls() {
        float[][] out = Pooler.first(hidden);
        assertArrayEquals(new float[] {1, 2}, out[0]);
        assertArrayEquals(new float[] {10, 20}, out[1]);
    }

    @Test
    void tokenMeanCanSkipTheClassToken() {
        float[][] out = Pooler.tokenMean(new Tensor(new float[] {100, 1, 3}, new long[] {1, 3, 1}), 1);
        assertArrayEquals(new float[] {2}, out[0]);
    }

    @Test
    void spatialMeanAveragesEveryPosition() {
        // batch 1, 2 channels, 2x2
        float[][] out = Pooler.spatialMean(new Tensor(new float[] {1, 2, 3, 4, 0, 0, 0, 8}, new long[] {1, 2, 2, 2}));
        assertArrayEquals(new float[] {2.5f, 2f}, out[0]);
    }

    @Test
    void severalLayersAreAveraged() {
        float[][] out = Pooler.average(List.of(new float[][] {{1, 2}}, new float[][] {{3, 6}}));
        assertArrayEquals(new float[] {2, 4}, out[0]);
    }

    @Test
    void normalisationGivesUnitLengthAndLeavesZeroAlone() {
        assertArrayEquals(new float[] {0.6f, 0.8f}, Vectors.l2Normalize(new float[] {3, 4}), 1e-7f);
        assertArrayEquals(new float[] {0, 0}, Vectors.l2Normalize(new float[] {0, 0}));
        assertEquals(1.0, Vectors.cosine(new float[] {1, 2}, new float[] {2, 4}), 1e-12);
    }

    @Test
    void tokensKeepEachRealTokenAndAverageLayers() {
        // batch 2, 3 tokens, dim 2; sequence 1 has 2 real tokens and one padding position.
        Tensor a = new Tensor(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 99, 99}, new long[] {2, 3, 2});
        Tensor b = new Tensor(new float[] {3, 4, 5, 6, 7, 8, 9, 12, 11, 14, 99, 99}, new long[] {2, 3, 2});
        float[][] one = Pooler.tokens(List.of(a), 1, 2);
        assertArrayEquals(new float[] {7, 8}, one[0]);
        assertArrayEquals(new float[] {9, 10}, one[1]);
        assertEquals(2, one.length, "padding removed");
        float[][] avg = Pooler.tokens(List.of(a, b), 1, 2);
        assertArrayEquals(new float[] {8, 10}, avg[0]);
        assertArrayEquals(new float[] {10, 12}, avg[1]);
    }
}
