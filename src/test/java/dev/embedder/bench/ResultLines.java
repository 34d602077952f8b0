package dev.embedder.bench;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Machine-readable copies of a benchmark's headline numbers, {@code RESULT key=value} one per line, printed
 * only with {@code -Dembedder.bench.result-lines=true}. infra/bench/run-all.sh runs several benchmarks
 * in one go and greps these lines to build its single table, so it never has to parse the markdown, whose
 * wording is free to change; without the property the reports stay pasteable as they are.
 */
final class ResultLines {

    static final String PROPERTY = "embedder.bench.result-lines";

    private final PrintStream out;
    private final boolean enabled = Boolean.getBoolean(PROPERTY);

    ResultLines(PrintStream out) {
        this.out = out;
    }

    void put(String key, double value) {
        if (enabled) {
            out.printf(Locale.ROOT, "RESULT %s=%.4f%n", key, value);
        }
    }

    void put(String key, String value) {
        if (enabled) {
            out.printf(Locale.ROOT, "RESULT %s=%s%n", key, value);
        }
    }

    /** A throughput's median, min and max over the rounds, as {@code key}, {@code key.min}, {@code key.max}. */
    void put(String key, RoundStats stats) {
        put(key, stats.median());
        put(key + ".min", stats.min());
        put(key + ".max", stats.max());
        if (!Double.isNaN(stats.cpuMillisPerSentence())) {
            put(key + ".cpu_ms", stats.cpuMillisPerSentence());
        }
    }
}
