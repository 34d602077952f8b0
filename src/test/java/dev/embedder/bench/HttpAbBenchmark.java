package dev.embedder.bench;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A/B of server settings over HTTP: two or more servers started side by side (idle while the other is measured)
 * and measured in turns, round after round, with the same client shape over the same corpus, so each setting
 * sees the same minutes of a shared machine. Prints sentences/s, server CPU per sentence and request p50 / p99
 * per server, and each one's ratio to the first.
 *
 * <p>Args: SHAPE (e.g. 4x32) ROUNDS LABEL=URL=PID [LABEL=URL=PID ...]. infra/bench/ab-http.sh starts the servers.
 */
public final class HttpAbBenchmark {

    private HttpAbBenchmark() {}

    private record Server(String label, String url, long pid, RoundStats stats, List<Double> latencies) {}

    public static void main(String[] args) throws Exception {
        HttpThroughputBenchmark.Shape shape = HttpThroughputBenchmark.Shape.parse(args[0]).get(0);
        int rounds = Integer.parseInt(args[1]);
        List<Server> servers = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            String[] parts = args[i].split("=", 3);
            servers.add(new Server(parts[0], parts[1], Long.parseLong(parts[2]), new RoundStats(),
                    java.util.Collections.synchronizedList(new ArrayList<>())));
        }
        List<String> corpus = Corpus.load();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<String> warmUp = corpus.subList(0, Math.min(400, corpus.size()));
        for (Server s : servers) {
            HttpThroughputBenchmark.httpPass(http, s.url(), warmUp, shape, new ArrayList<>());
        }
        for (int r = 0; r < rounds; r++) {
            // Alternate the order, so no setting always runs first in a round.
            for (int k = 0; k < servers.size(); k++) {
                Server s = servers.get((r + k) % servers.size());
                long cpu0 = HttpThroughputBenchmark.serverCpuNanos(s.pid());
                long t0 = System.nanoTime();
                HttpThroughputBenchmark.httpPass(http, s.url(), corpus, shape, s.latencies());
                s.stats().add(corpus.size(), System.nanoTime() - t0, HttpThroughputBenchmark.serverCpuNanos(s.pid()) - cpu0);
                System.err.printf(Locale.ROOT, "round %d/%d %s: %.0f sentences/s%n", r + 1, rounds, s.label(),
                        corpus.size() / ((System.nanoTime() - t0) / 1e9));
            }
        }
        Server first = servers.get(0);
        System.out.printf("%n### HTTP A/B, %d clients x %d texts, %d texts per pass, %d rounds (medians)%n%n",
                shape.clients(), shape.texts(), corpus.size(), rounds);
        System.out.println("| server | sentences/s (min–max) | server CPU ms / sentence | request p50 / p99 ms | rate vs first | CPU vs first |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (Server s : servers) {
            double[] ms = HttpThroughputBenchmark.sortedCopy(s.latencies());
            System.out.printf(Locale.ROOT, "| %s | %.0f (%.0f–%.0f) | %.2f | %.1f / %.1f | %.2f | %.2f |%n", s.label(),
                    s.stats().median(), s.stats().min(), s.stats().max(), s.stats().cpuMillisPerSentence(),
                    HttpThroughputBenchmark.percentileOf(ms, 50), HttpThroughputBenchmark.percentileOf(ms, 99),
                    s.stats().median() / first.stats().median(),
                    s.stats().cpuMillisPerSentence() / first.stats().cpuMillisPerSentence());
        }
    }
}
