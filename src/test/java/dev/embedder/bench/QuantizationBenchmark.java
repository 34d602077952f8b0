package dev.embedder.bench;

import dev.embedder.bundle.PoolingMode;
import dev.embedder.inference.SessionSettings;
import dev.embedder.pooling.PoolingSpec;
import dev.embedder.pooling.Vectors;
import dev.embedder.testing.Bundles;
import dev.embedder.text.TextEmbedder;
import java.util.List;

/**
 * fp32 against int8 (the langchain4j {@code -q} exports) on the benchmark corpus, in one run: throughput
 * of the service's text path for each, and the cosine between the two vectors of every sentence.
 *
 * <pre>./mvnw -q test-compile exec:java -Dexec.mainClass=dev.embedder.bench.QuantizationBenchmark \
 *     -Dexec.args="all-minilm-l6-v2 2 3"</pre>
 * Arguments: fp32 bundle name (its int8 twin is NAME-q), intra-op threads, rounds.
 */
public final class QuantizationBenchmark {

    private QuantizationBenchmark() {}

    public static void main(String[] args) {
        String model = args.length > 0 ? args[0] : "all-minilm-l6-v2";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<String> corpus = Corpus.load();
        PoolingSpec spec = new PoolingSpec(PoolingMode.MEAN, List.of(), true);
        SessionSettings settings = new SessionSettings(threads, 1, "all");
        try (TextEmbedder fp32 = Bundles.textEmbedder(model, 32, settings);
                TextEmbedder int8 = Bundles.textEmbedder(model + "-q", 32, settings)) {
            // One request of the whole corpus: both run the same sorted micro-batches, so only the model differs.
            List<float[]> a = fp32.embed(corpus, spec, true).vectors();
            List<float[]> b = int8.embed(corpus, spec, true).vectors();
            RoundStats fpStats = new RoundStats();
            RoundStats qStats = new RoundStats();
            for (int r = 0; r < rounds; r++) {
                // Alternate the order so neither always runs on a warmer or quieter machine.
                TextEmbedder first = r % 2 == 0 ? fp32 : int8;
                TextEmbedder second = r % 2 == 0 ? int8 : fp32;
                long t0 = System.nanoTime();
                first.embed(corpus, spec, true);
                long t1 = System.nanoTime();
                second.embed(corpus, spec, true);
                long t2 = System.nanoTime();
                (first == fp32 ? fpStats : qStats).add(corpus.size(), t1 - t0);
                (second == fp32 ? fpStats : qStats).add(corpus.size(), t2 - t1);
            }
            double sum = 0;
            double min = 1;
            for (int i = 0; i < corpus.size(); i++) {
                double c = Vectors.cosine(a.get(i), b.get(i));
                sum += c;
                min = Math.min(min, c);
            }
            System.out.printf("%n### int8 vs fp32: %s (%d sentences, %d threads, %d rounds)%n%n", model, corpus.size(),
                    threads, rounds);
            System.out.println("| model | sentences/s (median) | min – max | vs fp32 |");
            System.out.println("|---|---:|---:|---:|");
            System.out.printf("| %s (fp32) | %.0f | %.0f – %.0f | 1.00 |%n", model, fpStats.median(), fpStats.min(), fpStats.max());
            System.out.printf("| %s-q (int8) | %.0f | %.0f – %.0f | %.2f |%n", model, qStats.median(), qStats.min(),
                    qStats.max(), qStats.median() / fpStats.median());
            System.out.printf("%ncosine(int8, fp32) over the corpus: mean %.4f, min %.4f%n", sum / corpus.size(), min);
        }
    }
}
