package dev.embedder.observability;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** A minimal reader of Prometheus's text exposition format: sample name + sorted labels → value. */
final class PrometheusText {

    private final Map<String, Double> samples = new LinkedHashMap<>();

    PrometheusText(String body) {
        for (String line : body.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name;
            Map<String, String> labels = new TreeMap<>();
            if (brace > 0 && brace < space) {
                name = line.substring(0, brace);
                String inner = line.substring(brace + 1, line.lastIndexOf('}'));
                for (String pair : inner.split(",(?=[a-zA-Z_]+=\")")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        labels.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
                    }
                }
            } else {
                name = line.substring(0, space);
            }
            samples.put(key(name, labels), Double.parseDouble(line.substring(space + 1)));
        }
    }

    /** The sample's value, 0 when absent (a meter not yet created counts as nothing recorded). */
    double value(String name, String... labelPairs) {
        Map<String, String> labels = new TreeMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            labels.put(labelPairs[i], labelPairs[i + 1]);
        }
        return samples.getOrDefault(key(name, labels), 0.0);
    }

    boolean has(String name, String... labelPairs) {
        Map<String, String> labels = new TreeMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            labels.put(labelPairs[i], labelPairs[i + 1]);
        }
        return samples.containsKey(key(name, labels));
    }

    Map<String, Double> all() {
        return samples;
    }

    private static String key(String name, Map<String, String> labels) {
        return name + labels;
    }
}
