package dev.embedder.bench;

import dev.embedder.pooling.PoolingSpec;
import dev.embedder.text.TokenizedText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What one ONNX Runtime call costs as a function of its shape, through the service's own session (graph
 * pooling, the default threads): for each batch size and sequence length, the median wall time of a call and
 * the time per real token. It is the measurement behind the micro-batch cost model in TextEmbedder (how much
 * a call costs beyond its tokens, and how much padding costs), so that model can be re-derived on other CPUs.
 *
 * <p>{@code ./mvnw test-compile exec:java -Dexec.mainClass=dev.embedder.bench.RunCostBenchmark
 * [-Dexec.args="--model all-minilm-l6-v2 --threads 2"]}
 */
public final class RunCostBenchmark {

    private RunCostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchmarkOptions options = BenchmarkOptions.parse(args);
        int[] batches = {1, 2, 4, 8, 16, 32};
        int[] lengths = {8, 16, 32, 64, 128};
        try (ServicePath path = new ServicePath(options.model(), options.threads(), 64)) {
            PoolingSpec spec = path.defaultPooling();
            System.out.printf(Locale.ROOT, "### ONNX Runtime call cost: %s, %d intra-op threads%n%n", options.model(),
                    options.threads());
            System.out.println("| batch | length | ms per call (median) | µs per token |");
            System.out.println("|---:|---:|---:|---:|");
            for (int length : lengths) {
                // "a a a ..." tokenizes to one token per word plus the two special tokens.
                String text = String.join(" ", Collections.nCopies(length - 2, "a"));
                for (int batch : batches) {
                    List<TokenizedText> tokens = path.embedder().tokenize(Collections.nCopies(batch, text), true);
                    if (tokens.get(0).length() != length) {
                        throw new IllegalStateException("expected " + length + " tokens, got " + tokens.get(0).length());
                    }
                    int calls = Math.max(5, (int) (20_000L / ((long) batch * length)));
                    for (int i = 0; i < Math.max(3, calls / 4); i++) {
                        path.embedder().pool(tokens, spec);
                    }
                    List<Long> times = new ArrayList<>();
                    for (int i = 0; i < calls; i++) {
                        long start = System.nanoTime();
                        path.embedder().pool(tokens, spec);
                        times.add(System.nanoTime() - start);
                    }
                    Collections.sort(times);
                    double ms = times.get(times.size() / 2) / 1e6;
                    System.out.printf(Locale.ROOT, "| %d | %d | %.3f | %.1f |%n", batch, length, ms,
                            ms * 1000 / (batch * length));
                }
            }
        }
    }
}
