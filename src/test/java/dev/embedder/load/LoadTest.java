package dev.embedder.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Closed-loop load against a running Embedder on loopback: N clients, each sending its next request as soon as
 * the last one is answered, for a fixed time. The mix: short texts (one to three sentences), batches of longer
 * texts, image uploads and base64 images through {@code /v1/embeddings}, and {@code /tokenize}.
 *
 * <pre>./mvnw -q test-compile exec:java -Dexec.mainClass=dev.embedder.load.LoadTest \
 *     -Dexec.args="--url http://127.0.0.1:8080 --clients 64 --seconds 60 --pid 12345"</pre>
 *
 * With {@code --pid} (the server's process id, same machine) heap after a full GC and RSS are sampled after
 * warm-up and at the end, and every N seconds in between with {@code --sample-every N}. Only loopback URLs are accepted: this is a test tool, not a traffic generator.
 */
public final class LoadTest {

    /** What one run measured. {@code statuses} counts every answer by HTTP status; 0 means no answer at all. */
    public record Report(long requests, Map<Integer, Long> statuses, double seconds, long p50, long p90, long p99,
            long max, String memory) {

        public long unexpectedErrors() {
            return statuses.entrySet().stream().filter(e -> e.getKey() != 200 && e.getKey() != 429 && e.getKey() != 503)
                    .mapToLong(Map.Entry::getValue).sum();
        }

        @Override
        public String toString() {
            return String.format("requests %d in %.1f s = %.1f req/s; statuses %s; latency ms p50 %d, p90 %d, p99 %d,"
                    + " max %d%s", requests, seconds, requests / seconds, statuses, p50, p90, p99, max,
                    memory.isEmpty() ? "" : "; " + memory);
        }
    }

    private static final String[] SENTENCES = {"A man is eating food.", "A woman is playing the violin.",
        "The new movie is awesome.", "Two dogs run through a snowy field.", "Der schnelle braune Fuchs springt.",
        "東京は日本の首都です。", "Markets fell sharply after the announcement on Tuesday.", "¿Dónde está la biblioteca?"};

    private LoadTest() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        String url = options.getOrDefault("--url", "http://127.0.0.1:8080");
        int clients = Integer.parseInt(options.getOrDefault("--clients", "64"));
        int seconds = Integer.parseInt(options.getOrDefault("--seconds", "60"));
        int warmup = Integer.parseInt(options.getOrDefault("--warmup", "10"));
        Long pid = options.containsKey("--pid") ? Long.valueOf(options.get("--pid")) : null;
        System.out.println("warm-up: " + warmup + " s with " + clients + " clients");
        run(url, clients, Duration.ofSeconds(warmup), null);
        String before = pid == null ? "" : MemorySample.of(pid).toString();
        // A series, not just two points, tells a plateau (arenas filled to the largest batch) from a leak.
        int every = Integer.parseInt(options.getOrDefault("--sample-every", "0"));
        java.util.concurrent.ScheduledExecutorService sampler = null;
        if (pid != null && every > 0) {
            long started = System.nanoTime();
            sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> {
                try {
                    System.out.printf("memory at %4d s: %s%n", (System.nanoTime() - started) / 1_000_000_000L,
                            MemorySample.of(pid));
                } catch (Exception e) {
                    System.out.println("memory sample failed: " + e);
                }
            }, every, every, TimeUnit.SECONDS);
        }
        Report report = run(url, clients, Duration.ofSeconds(seconds), null);
        if (sampler != null) {
            sampler.shutdownNow();
        }
        String after = pid == null ? "" : MemorySample.of(pid).toString();
        System.out.println(report);
        if (pid != null) {
            System.out.println("memory after warm-up: " + before);
            System.out.println("memory at the end:    " + after);
        }
        System.exit(report.unexpectedErrors() == 0 ? 0 : 1);
    }

    /** Runs {@code clients} closed-loop clients for {@code duration}; {@code apiKey} may be null. */
    public static Report run(String baseUrl, int clients, Duration duration, String apiKey) throws Exception {
        URI base = URI.create(baseUrl);
        if (!"127.0.0.1".equals(base.getHost()) && !"localhost".equals(base.getHost())) {
            throw new IllegalArgumentException("the load test only targets loopback, got " + base.getHost());
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        byte[] png = resource("/images/coffee.png");
        byte[] jpg = resource("/images/rocket.jpg");
        String dataUri = "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
        long deadline = System.nanoTime() + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<ClientResult>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            long seed = c;
            futures.add(pool.submit(() -> client(http, base, new Random(seed), deadline, png, jpg, dataUri, apiKey)));
        }
        List<Long> latencies = new ArrayList<>();
        Map<Integer, Long> statuses = new TreeMap<>();
        for (Future<ClientResult> f : futures) {
            ClientResult r = f.get(duration.toSeconds() + 120, TimeUnit.SECONDS);
            latencies.addAll(r.latenciesMs());
            r.statuses().forEach((k, v) -> statuses.merge(k, v, Long::sum));
        }
        pool.shutdownNow();
        double seconds = (System.nanoTime() - start) / 1e9;
        latencies.sort(null);
        return new Report(latencies.size(), statuses, seconds, pct(latencies, 50), pct(latencies, 90), pct(latencies, 99),
                latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1), "");
    }

    private record ClientResult(List<Long> latenciesMs, Map<Integer, Long> statuses) {}

    private static ClientResult client(HttpClient http, URI base, Random random, long deadline, byte[] png, byte[] jpg,
            String dataUri, String apiKey) {
        List<Long> latencies = new ArrayList<>();
        Map<Integer, Long> statuses = new TreeMap<>();
        // Bounded in time (the deadline) and in count, whatever the server does.
        for (int i = 0; i < 1_000_000 && System.nanoTime() < deadline; i++) {
            HttpRequest request = next(base, random, png, jpg, dataUri, apiKey);
            long t0 = System.nanoTime();
            int status;
            try {
                status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                status = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            latencies.add((System.nanoTime() - t0) / 1_000_000);
            statuses.merge(status, 1L, Long::sum);
        }
        return new ClientResult(latencies, statuses);
    }

    private static HttpRequest next(URI base, Random random, byte[] png, byte[] jpg, String dataUri, String apiKey) {
        int kind = random.nextInt(100);
        HttpRequest.Builder b;
        if (kind < 60) {
            b = json(base, "/v1/embeddings", "{\"input\": " + quote(text(random, 1 + random.nextInt(3))) + "}");
        } else if (kind < 75) {
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 16; i++) {
                batch.append(i == 0 ? "" : ",").append(quote(text(random, 4 + random.nextInt(8))));
            }
            b = json(base, "/embed", "{\"inputs\": " + batch + "], \"truncate\": true}");
        } else if (kind < 85) {
            boolean usePng = random.nextBoolean();
            b = HttpRequest.newBuilder(base.resolve("/embed-image")).header("Content-Type", usePng ? "image/png" : "image/jpeg")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(usePng ? png : jpg));
        } else if (kind < 92) {
            b = json(base, "/v1/embeddings", "{\"model\": \"mobilenet-v2-nsfwjs\", \"input\": [\"" + dataUri + "\"]}");
        } else {
            b = json(base, "/tokenize", "{\"inputs\": " + quote(text(random, 2)) + "}");
        }
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return b.timeout(Duration.ofSeconds(60)).build();
    }

    private static HttpRequest.Builder json(URI base, String path, String body) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static String text(Random random, int sentences) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            s.append(i == 0 ? "" : " ").append(SENTENCES[random.nextInt(SENTENCES.length)]);
        }
        return s.toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static byte[] resource(String name) {
        try (InputStream in = LoadTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> out = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            out.put(args[i], args[i + 1]);
        }
        return out;
    }
}
