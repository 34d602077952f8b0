package dev.embedder.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embedder.bundle.ModelBundle;
import dev.embedder.testing.Bundles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Embedder over HTTP against the plain ONNX Runtime ceiling, in one run on one machine. The server is a
 * separate process (started by infra/bench/http-bench.sh); the ceiling and the single-call baseline run
 * in this process while the server is idle, so the two never share the cores at the same time. Each round
 * runs the ceiling, then every client shape (e.g. 4 clients x 32 texts, 16 clients x 1 text) over the corpus.
 * CPU per sentence: this JVM's CPU time for the ceiling, the server's (utime + stime of /proc/PID/stat, all its
 * threads) for the HTTP passes; the client's own CPU is not counted for the server.
 *
 * <p>Args: URL SERVER_PID [threads] [shapes, e.g. 4x32,16x1] [rounds].
 */
public final class HttpThroughputBenchmark {

    private static final String SENTENCE = "A man is eating a piece of bread.";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Clock ticks per second of /proc/PID/stat's CPU times (getconf CLK_TCK; 100 on Linux x86-64). */
    private static final long CLK_TCK = Long.getLong("embedder.bench.clk-tck", 100);

    private HttpThroughputBenchmark() {}

    /** One client shape: how many concurrent clients, how many texts per request. */
    record Shape(int clients, int texts) {
        static List<Shape> parse(String spec) {
            List<Shape> shapes = new ArrayList<>();
            for (String part : spec.split(",")) {
                String[] n = part.trim().toLowerCase(java.util.Locale.ROOT).split("x");
                shapes.add(new Shape(Integer.parseInt(n[0]), Integer.parseInt(n[1])));
            }
            return shapes;
        }

        String key() {
            return clients + "x" + texts;
        }
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        long pid = Long.parseLong(args[1]);
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        List<Shape> shapes = Shape.parse(args.length > 3 ? args[3] : "4x32,16x1");
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        List<String> corpus = Corpus.load();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        // Ready but not one request served yet: what the process costs before any traffic.
        Map<String, Long> atReady = memory(pid);
        ModelBundle bundle = Bundles.load("all-minilm-l6-v2");
        RoundStats ceiling = new RoundStats();
        Map<Shape, RoundStats> viaHttp = new LinkedHashMap<>();
        Map<Shape, List<Double>> latencies = new LinkedHashMap<>();
        for (Shape shape : shapes) {
            viaHttp.put(shape, new RoundStats());
            latencies.put(shape, Collections.synchronizedList(new ArrayList<>()));
        }
        Map<String, Long> afterWarmUp;
        double[][] plainSingle;
        double[] httpSingle;
        try (PlainOrtPipeline plain = new PlainOrtPipeline(bundle.read("model"), bundle.read("tokenizer"),
                bundle.manifest().maxTokens(), threads)) {
            // -Dembedder.bench.quick=true (run-all.sh QUICK=1): warm up on a part of the corpus only.
            List<String> warmUp = Boolean.getBoolean("embedder.bench.quick")
                    ? corpus.subList(0, Math.min(300, corpus.size())) : corpus;
            plain.embed(warmUp, PlainOrtPipeline.Order.SORTED, 32, warmUp.size(), new StageTimes());
            for (Shape shape : shapes) {
                httpPass(http, url, warmUp, shape, new ArrayList<>());
            }
            // Idle again after one full pass: the steady footprint of a warmed-up server between bursts.
            afterWarmUp = memory(pid);
            for (int r = 0; r < rounds; r++) {
                long cpu0 = TextThroughputBenchmark.processCpuNanos();
                long t0 = System.nanoTime();
                plain.embed(corpus, PlainOrtPipeline.Order.SORTED, 32, corpus.size(), new StageTimes());
                ceiling.add(corpus.size(), System.nanoTime() - t0, TextThroughputBenchmark.processCpuNanos() - cpu0);
                for (Shape shape : shapes) {
                    long server0 = serverCpuNanos(pid);
                    long t1 = System.nanoTime();
                    httpPass(http, url, corpus, shape, latencies.get(shape));
                    viaHttp.get(shape).add(corpus.size(), System.nanoTime() - t1, serverCpuNanos(pid) - server0);
                    System.err.printf(java.util.Locale.ROOT, "round %d/%d: ceiling %.0f, HTTP %s %.0f sentences/s%n",
                            r + 1, rounds, ceiling.median(), shape.key(), viaHttp.get(shape).median());
                }
            }
            plainSingle = timePlain(200, plain);
        }
        // The service path in-process for one sentence, through the dynamic batcher as an HTTP request goes:
        // what Embedder adds to session.run before any HTTP is involved.
        double[] serviceSingle;
        try (ServicePath service = new ServicePath("all-minilm-l6-v2", threads, 32)) {
            serviceSingle = time(200, () -> service.embedOne(SENTENCE));
        }
        httpSingle = time(200, () -> post(http, url, List.of(SENTENCE)));
        Map<String, Long> memory = memory(pid);
        double[] plainPipeline = plainSingle[0];
        double[] plainRun = plainSingle[1];

        System.out.printf("%n### HTTP vs the plain ONNX Runtime ceiling (all-minilm-l6-v2, %d threads, %d sentences)%n%n",
                threads, corpus.size());
        System.out.println("| measure | value | vs baseline |");
        System.out.println("|---|---:|---:|");
        System.out.printf("| (a) plain ORT, whole corpus sorted, in-process | %.0f sentences/s, %.2f CPU ms/sentence | 1.00 |%n",
                ceiling.median(), ceiling.cpuMillisPerSentence());
        for (Shape shape : shapes) {
            RoundStats stats = viaHttp.get(shape);
            double[] ms = sorted(latencies.get(shape));
            System.out.printf("| (c) Embedder over HTTP, %d clients x %d texts | %.0f sentences/s, server %.2f CPU ms/sentence,"
                    + " request p50 / p99 %.1f / %.1f ms | %.2f (CPU %.2f) |%n", shape.clients(), shape.texts(),
                    stats.median(), stats.cpuMillisPerSentence(), percentile(ms, 50), percentile(ms, 99),
                    stats.median() / ceiling.median(), stats.cpuMillisPerSentence() / ceiling.cpuMillisPerSentence());
        }
        System.out.printf("| (d) one sentence, plain session.run only (input tensors + output copy), p50 / p99"
                + " | %.2f / %.2f ms | 1.00 |%n", percentile(plainRun, 50), percentile(plainRun, 99));
        System.out.printf("| (d) one sentence, plain tokenize + session.run + pool, p50 / p99 | %.2f / %.2f ms | %.2f |%n",
                percentile(plainPipeline, 50), percentile(plainPipeline, 99),
                percentile(plainPipeline, 50) / percentile(plainRun, 50));
        System.out.printf("| (d) one sentence, Embedder's service path in-process (tokenize, batcher, run, pool), p50 / p99"
                + " | %.2f / %.2f ms | %.2f |%n", percentile(serviceSingle, 50), percentile(serviceSingle, 99),
                percentile(serviceSingle, 50) / percentile(plainRun, 50));
        System.out.printf("| (d) one sentence over HTTP (/v1/embeddings), p50 / p99 | %.2f / %.2f ms | %.2f |%n",
                percentile(httpSingle, 50), percentile(httpSingle, 99),
                percentile(httpSingle, 50) / percentile(plainRun, 50));
        System.out.printf("| (e) server RSS when ready / idle after the warm-up pass | %d / %d MB | |%n",
                atReady.get("VmRSS") / 1024, afterWarmUp.get("VmRSS") / 1024);
        System.out.printf("| (e) server peak RSS (VmHWM) / RSS now | %d / %d MB | |%n", memory.get("VmHWM") / 1024,
                memory.get("VmRSS") / 1024);
        System.out.printf("%nRounds: %d (medians shown; ceiling %.0f–%.0f sentences/s)%n", rounds,
                ceiling.min(), ceiling.max());

        ResultLines results = new ResultLines(System.out);
        results.put("http.threads", Integer.toString(threads));
        results.put("http.rounds", Integer.toString(rounds));
        results.put("http.corpus", Integer.toString(corpus.size()));
        results.put("http.shapes", String.join(",", shapes.stream().map(Shape::key).toList()));
        results.put("http.ceiling", ceiling);
        for (Shape shape : shapes) {
            double[] ms = sorted(latencies.get(shape));
            results.put("http." + shape.key(), viaHttp.get(shape));
            results.put("http." + shape.key() + ".p50", percentile(ms, 50));
            results.put("http." + shape.key() + ".p99", percentile(ms, 99));
        }
        results.put("single.plain_run.p50", percentile(plainRun, 50));
        results.put("single.plain_run.p99", percentile(plainRun, 99));
        results.put("single.plain_pipeline.p50", percentile(plainPipeline, 50));
        results.put("single.plain_pipeline.p99", percentile(plainPipeline, 99));
        results.put("single.service.p50", percentile(serviceSingle, 50));
        results.put("single.service.p99", percentile(serviceSingle, 99));
        results.put("single.http.p50", percentile(httpSingle, 50));
        results.put("single.http.p99", percentile(httpSingle, 99));
        results.put("single.calls", Integer.toString(httpSingle.length));
        results.put("server.rss_ready_mb", atReady.get("VmRSS") / 1024.0);
        results.put("server.rss_idle_mb", afterWarmUp.get("VmRSS") / 1024.0);
        results.put("server.hwm_mb", memory.get("VmHWM") / 1024.0);
        results.put("server.rss_end_mb", memory.get("VmRSS") / 1024.0);
    }

    /** The corpus as requests of {@code shape.texts()} from {@code shape.clients()} threads; each request's ms. */
    static void httpPass(HttpClient http, String url, List<String> corpus, Shape shape, List<Double> ms)
            throws Exception {
        ConcurrentClients.run(corpus, shape.texts(), shape.clients(), (start, texts) -> {
            long t0 = System.nanoTime();
            post(http, url, texts);
            ms.add((System.nanoTime() - t0) / 1e6);
        });
    }

    /** utime + stime of the whole server process (every thread), from /proc/PID/stat. */
    static long serverCpuNanos(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * 1_000_000_000L / CLK_TCK;
    }

    static double[] sortedCopy(List<Double> values) {
        return sorted(values);
    }

    static double percentileOf(double[] sorted, int p) {
        return percentile(sorted, p);
    }

    private static double[] sorted(List<Double> values) {
        double[] out;
        synchronized (values) {
            out = values.stream().mapToDouble(Double::doubleValue).toArray();
        }
        Arrays.sort(out);
        return out;
    }

    private static void post(HttpClient http, String url, List<String> texts) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/v1/embeddings"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                        Map.of("input", texts, "truncate", true))))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
    }

    interface Call {
        void run() throws Exception;
    }

    /** Milliseconds of {@code n} sequential calls, after 20 untimed warm-up calls. */
    private static double[] time(int n, Call call) throws Exception {
        for (int i = 0; i < 20; i++) {
            call.run();
        }
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            call.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    /**
     * One sentence through the plain pipeline, {@code n} sequential calls after 20 untimed ones: [0] the whole
     * call (tokenize, run, pool) and [1] the ONNX Runtime part alone, both sorted, in milliseconds. The
     * second is what "one plain session.run" means in the report: tensor creation and the copy-out of the
     * output are in it, which for one sentence are tiny next to the run itself.
     */
    private static double[][] timePlain(int n, PlainOrtPipeline plain) throws Exception {
        for (int i = 0; i < 20; i++) {
            plain.embed(List.of(SENTENCE), PlainOrtPipeline.Order.SORTED, 1, 1, new StageTimes());
        }
        double[] whole = new double[n];
        double[] run = new double[n];
        for (int i = 0; i < n; i++) {
            StageTimes times = new StageTimes();
            long t0 = System.nanoTime();
            plain.embed(List.of(SENTENCE), PlainOrtPipeline.Order.SORTED, 1, 1, times);
            whole[i] = (System.nanoTime() - t0) / 1e6;
            run[i] = times.inferMillis();
        }
        Arrays.sort(whole);
        Arrays.sort(run);
        return new double[][] {whole, run};
    }

    private static double percentile(double[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static Map<String, Long> memory(long pid) throws Exception {
        Map<String, Long> kb = new java.util.HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmHWM:") || line.startsWith("VmRSS:")) {
                String[] parts = line.split("\\s+");
                kb.put(parts[0].replace(":", ""), Long.parseLong(parts[1]));
            }
        }
        return kb;
    }
}
