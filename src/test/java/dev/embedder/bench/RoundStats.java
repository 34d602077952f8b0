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

    void add(int sentences, long nanos) {
        sentencesPerSecond.add(sentences / (nanos / 1e9));
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
