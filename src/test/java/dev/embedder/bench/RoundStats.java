package dev.embedder.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Throughput of one variant over the measured rounds. The median is reported rather than the mean
 * because on a shared machine a single disturbed round would otherwise move the headline number.
 */
final class RoundStats {

    private final List<Double> sentencesPerSecond = new ArrayList<>();
    private final List<Double> cpuMillisPerSentence = new ArrayList<>();

    void add(int sentences, long nanos) {
        sentencesPerSecond.add(sentences / (nanos / 1e9));
    }

    /** As {@link #add(int, long)}, with the CPU time the measured process spent in the round (all its threads). */
    void add(int sentences, long nanos, long cpuNanos) {
        add(sentences, nanos);
        cpuMillisPerSentence.add(cpuNanos / 1e6 / sentences);
    }

    /** Median CPU milliseconds per sentence over the rounds, or NaN when CPU time was not measured. */
    double cpuMillisPerSentence() {
        if (cpuMillisPerSentence.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(cpuMillisPerSentence);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    double median() {
        List<Double> sorted = sorted();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    double min() {
        return sorted().get(0);
    }

    double max() {
        return sorted().get(sorted().size() - 1);
    }

    private List<Double> sorted() {
        List<Double> copy = new ArrayList<>(sentencesPerSecond);
        Collections.sort(copy);
        return copy;
    }
}
