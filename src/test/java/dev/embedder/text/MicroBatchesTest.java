package dev.embedder.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The micro-batch plan against an exhaustive search over every way to split the sequences into batches (not only
 * runs of the sorted order), on small random rounds: the plan must be valid and cost no more than the best
 * split there is.
 */
class MicroBatchesTest {

    private static final int OVERHEAD = MicroBatches.CALL_OVERHEAD_TOKENS;

    @Test
    void aLongOutlierGetsItsOwnCall() {
        // Together: 23 + 4 x 100 = 423 padded-token units; apart: 23 + 3 x 10 + 23 + 100 = 176.
        List<int[]> plan = MicroBatches.plan(new int[] {10, 100, 10, 10}, 32, 16384);
        assertEquals(2, plan.size());
        assertEquals(List.of(0, 2, 3), sorted(plan.get(0)));
        assertEquals(List.of(1), sorted(plan.get(1)));
    }

    @Test
    void nearlyEqualLengthsShareOneCall() {
        // Apart, the second call's overhead (23) is more than the padding it saves (3 x 1).
        assertEquals(1, MicroBatches.plan(new int[] {20, 20, 20, 21}, 32, 16384).size());
    }

    @Test
    void batchSizeAndTokenBudgetAreLimits() {
        int[] lengths = new int[70];
        Arrays.fill(lengths, 12);
        List<int[]> plan = MicroBatches.plan(lengths, 32, 16384);
        assertEquals(3, plan.size());
        plan.forEach(b -> assertTrue(b.length <= 32));
        // 10 sequences of 100 tokens under a 300-token budget: at most 3 per call.
        int[] long10 = new int[10];
        Arrays.fill(long10, 100);
        List<int[]> budgeted = MicroBatches.plan(long10, 32, 300);
        budgeted.forEach(b -> assertTrue(b.length * 100 <= 300, "batch of " + b.length));
        assertEquals(4, budgeted.size());
        // One sequence over the budget still runs, alone.
        assertEquals(List.of(1), MicroBatches.plan(new int[] {500}, 32, 300).stream().map(b -> b.length).toList());
    }

    @Test
    void noSplitIsCheaperThanThePlan() {
        Random random = new Random(20261201);
        for (int round = 0; round < 300; round++) {
            int n = 1 + random.nextInt(8);
            int maxBatch = 1 + random.nextInt(5);
            int[] lengths = new int[n];
            for (int i = 0; i < n; i++) {
                lengths[i] = 3 + random.nextInt(random.nextBoolean() ? 20 : 200);
            }
            List<int[]> plan = MicroBatches.plan(lengths, maxBatch, 16384);
            boolean[] seen = new boolean[n];
            for (int[] batch : plan) {
                assertTrue(batch.length >= 1 && batch.length <= maxBatch);
                for (int i : batch) {
                    assertTrue(!seen[i], "index " + i + " twice");
                    seen[i] = true;
                }
            }
            for (boolean s : seen) {
                assertTrue(s, "an index is missing from " + Arrays.deepToString(plan.toArray()));
            }
            long best = exhaustive(lengths, maxBatch, 0, new ArrayList<>());
            assertEquals(best, cost(lengths, plan), "lengths " + Arrays.toString(lengths) + ", max batch " + maxBatch);
        }
    }

    /** Cheapest cost over every assignment of sequences to batches (set partitions), by recursion. */
    private static long exhaustive(int[] lengths, int maxBatch, int next, List<List<Integer>> batches) {
        if (next == lengths.length) {
            long total = 0;
            for (List<Integer> batch : batches) {
                total += OVERHEAD + (long) batch.size() * batch.stream().mapToInt(i -> lengths[i]).max().orElseThrow();
            }
            return total;
        }
        long best = Long.MAX_VALUE;
        for (int b = 0, existing = batches.size(); b < existing; b++) {
            List<Integer> batch = batches.get(b);
            if (batch.size() < maxBatch) {
                batch.add(next);
                best = Math.min(best, exhaustive(lengths, maxBatch, next + 1, batches));
                batch.remove(batch.size() - 1);
            }
        }
        List<Integer> fresh = new ArrayList<>(List.of(next));
        batches.add(fresh);
        best = Math.min(best, exhaustive(lengths, maxBatch, next + 1, batches));
        batches.remove(batches.size() - 1);
        return best;
    }

    private static long cost(int[] lengths, List<int[]> plan) {
        long total = 0;
        for (int[] batch : plan) {
            total += OVERHEAD + (long) batch.length * Arrays.stream(batch).map(i -> lengths[i]).max().orElseThrow();
        }
        return total;
    }

    private static List<Integer> sorted(int[] batch) {
        return Arrays.stream(batch).sorted().boxed().toList();
    }
}
