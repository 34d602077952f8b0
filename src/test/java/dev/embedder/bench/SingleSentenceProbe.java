package dev.embedder.bench;

import dev.embedder.bundle.ModelBundle;
import dev.embedder.inference.CpuBudget;
import dev.embedder.testing.Bundles;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a lone sentence's time goes beyond one plain session.run: the service path with and without the batcher's
 * hand-off, with and without spinning, against the plain pipeline, in interleaved rounds of one JVM.
 * {@code ./mvnw test-compile exec:java -Dexec.mainClass=dev.embedder.bench.SingleSentenceProbe}
 */
public final class SingleSentenceProbe {

    private static final String SENTENCE = "A man is eating a piece of bread.";

    public static void main(String[] args) throws Exception {
        int threads = CpuBudget.threads();
        ModelBundle bundle = Bundles.load("all-minilm-l6-v2");
        Map<String, Runnable> calls = new LinkedHashMap<>();
        try (PlainOrtPipeline plain = new PlainOrtPipeline(bundle.read("model"), bundle.read("tokenizer"),
                bundle.manifest().maxTokens(), threads);
                ServicePath service = new ServicePath("all-minilm-l6-v2", threads, 32);
                ServicePath spinning = new ServicePath("all-minilm-l6-v2", threads, 32, true, true)) {
            calls.put("plain tokenize + run + pool (spinning, ORT's default)", () -> {
                try {
                    plain.embed(List.of(SENTENCE), PlainOrtPipeline.Order.SORTED, 1, 1, new StageTimes());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            calls.put("service path with the batcher (the default)", () -> service.embedOne(SENTENCE));
            calls.put("service embedder called directly, no batcher", () ->
                    service.embedder().embed(List.of(SENTENCE), service.defaultPooling(), true));
            calls.put("service embedder directly, spinning on", () ->
                    spinning.embedder().embed(List.of(SENTENCE), spinning.defaultPooling(), true));
            Map<String, double[]> p50s = new LinkedHashMap<>();
            int rounds = 5;
            calls.keySet().forEach(k -> p50s.put(k, new double[rounds]));
            for (Runnable call : calls.values()) {
                for (int i = 0; i < 50; i++) {
                    call.run();
                }
            }
            for (int r = 0; r < rounds; r++) {
                for (Map.Entry<String, Runnable> e : calls.entrySet()) {
                    double[] ms = new double[200];
                    for (int i = 0; i < ms.length; i++) {
                        long t0 = System.nanoTime();
                        e.getValue().run();
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                    }
                    Arrays.sort(ms);
                    p50s.get(e.getKey())[r] = ms[ms.length / 2];
                }
            }
            double base = median(p50s.values().iterator().next());
            System.out.println("| path | p50 ms (median of " + rounds + " rounds of 200) | vs plain |");
            System.out.println("|---|---:|---:|");
            p50s.forEach((k, v) -> System.out.printf("| %s | %.2f | %.2f |%n", k, median(v), median(v) / base));
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
