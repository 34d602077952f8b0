package dev.embedder.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * How one scheduling round's sequences are cut into ONNX Runtime calls. A call costs a fixed overhead plus
 * time per padded token (batch size x its longest sequence); attention over padding is paid in full. So the
 * sequences are sorted by length and cut where the cut saves more padding than the extra call costs: the
 * cheapest partition under that cost model, found exactly by dynamic programming over the sorted order
 * (O(n x maxBatchSize)), within the batch-size and padded-token limits.
 *
 * <p>The cost model comes from measurement, not guesswork: {@code RunCostBenchmark} (src/test, bench) times
 * calls of every shape through the service's own session. For all-MiniLM-L6-v2 on 2 threads a call costs
 * about 2.2 ms plus 0.095 ms per padded token (fitted to within 6 % over batch 1-32 and 8-128 tokens), so one
 * call is worth {@value #CALL_OVERHEAD_TOKENS} padded tokens. On one thread both grow (2.5 ms, 0.165 ms), so
 * the ratio is smaller there and this value errs towards fewer, fuller calls, which costs little.
 */
public final class MicroBatches {

    /** The fixed cost of one ONNX Runtime call, in padded tokens (see the class comment). */
    static final int CALL_OVERHEAD_TOKENS = 23;

    private MicroBatches() {
    }

    /**
     * Groups indices into micro-batches: each index once, each batch at most {@code maxBatchSize} sequences and
     * (unless a single sequence exceeds it) at most {@code maxBatchTokens} padded tokens, minimising
     * {@code calls x CALL_OVERHEAD_TOKENS + padded tokens}. Batches come out shortest first.
     */
    public static List<int[]> plan(int[] lengths, int maxBatchSize, int maxBatchTokens) {
        int n = lengths.length;
        Integer[] boxed = new Integer[n];
        for (int i = 0; i < n; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, Comparator.comparingInt(i -> lengths[i]));
        // best[j]: cheapest cost of the first j sorted sequences; cut[j]: where its last batch starts.
        long[] best = new long[n + 1];
        int[] cut = new int[n + 1];
        for (int j = 1; j <= n; j++) {
            best[j] = Long.MAX_VALUE;
            long longest = lengths[boxed[j - 1]];
            for (int i = j - 1; i >= 0 && j - i <= maxBatchSize; i--) {
                long padded = (j - i) * longest;
                if (padded > maxBatchTokens && i < j - 1) {
                    break;
                }
                long cost = best[i] + CALL_OVERHEAD_TOKENS + padded;
                if (cost < best[j]) {
                    best[j] = cost;
                    cut[j] = i;
                }
            }
        }
        List<int[]> batches = new ArrayList<>();
        for (int j = n; j > 0; j = cut[j]) {
            int[] batch = new int[j - cut[j]];
            for (int k = 0; k < batch.length; k++) {
                batch[k] = boxed[cut[j] + k];
            }
            batches.add(batch);
        }
        Collections.reverse(batches);
        return batches;
    }
}
