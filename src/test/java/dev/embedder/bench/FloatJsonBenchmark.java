package dev.embedder.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embedder.api.rest.FloatJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Time to write one /v1/embeddings response of 32 vectors x 384 floats to JSON, Jackson's default float writer
 * against {@link FloatJson}'s, interleaved. Both outputs are read back and compared float by float.
 * Run: {@code ./mvnw -q test-compile exec:java -Dexec.mainClass=dev.embedder.bench.FloatJsonBenchmark}.
 */
public final class FloatJsonBenchmark {

    private FloatJsonBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Random random = new Random(42);
        List<Map<String, Object>> data = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            float[] v = new float[384];
            for (int d = 0; d < v.length; d++) {
                v[d] = (float) (random.nextGaussian() * 0.05);
            }
            data.add(Map.of("object", "embedding", "index", i, "embedding", v));
        }
        Map<String, Object> response = Map.of("object", "list", "data", data);
        ObjectMapper plain = new ObjectMapper();
        ObjectMapper fast = FloatJson.configure(new ObjectMapper());
        if (!plain.readTree(plain.writeValueAsBytes(response)).equals(plain.readTree(fast.writeValueAsBytes(response)))) {
            throw new IllegalStateException("the two writers' JSON reads back differently");
        }
        int n = 400;
        double plainBest = Double.MAX_VALUE;
        double fastBest = Double.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            plainBest = Math.min(plainBest, microsPerResponse(plain, response, n));
            fastBest = Math.min(fastBest, microsPerResponse(fast, response, n));
        }
        System.out.printf(java.util.Locale.ROOT, "32 x 384 floats to JSON (best of %d rounds of %d): Float.toString %.0f us,"
                + " fast writer %.0f us (%.2fx); per sentence %.1f vs %.1f us%n", rounds, n, plainBest, fastBest,
                plainBest / fastBest, plainBest / 32, fastBest / 32);
    }

    private static double microsPerResponse(ObjectMapper mapper, Object response, int n) throws Exception {
        long t0 = System.nanoTime();
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            bytes += mapper.writeValueAsBytes(response).length;
        }
        if (bytes == 0) {
            throw new IllegalStateException();
        }
        return (System.nanoTime() - t0) / 1e3 / n;
    }
}
