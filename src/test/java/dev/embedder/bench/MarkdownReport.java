package dev.embedder.bench;

import dev.embedder.bench.TextThroughputBenchmark.Variant;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Prints the benchmark result as markdown that can be pasted into a README as it is. */
final class MarkdownReport {

    private MarkdownReport() {}

    /** Prints everything; returns false when some variant's vectors differ from the sorted baseline's. */
    static boolean print(PrintStream out, BenchmarkOptions options, List<String> corpus, int[] tokenCounts,
            int maxTokens, List<Variant> variants, String ortVersion) {
        long tokens = Arrays.stream(tokenCounts).asLongStream().sum();
        Variant reference = variants.get(0);
        double referenceRate = reference.stats().median();

        out.println();
        out.printf("### Text throughput: %s%n%n", options.model());
        out.printf(Locale.ROOT, "- Corpus: %,d sentences, %,d tokens (mean %.1f, min %d, max %d per sentence;"
                + " %d cut at the %d-token limit)%n", corpus.size(), tokens, (double) tokens / corpus.size(),
                Arrays.stream(tokenCounts).min().orElse(0), Arrays.stream(tokenCounts).max().orElse(0),
                Arrays.stream(tokenCounts).filter(n -> n >= maxTokens).count(), maxTokens);
        out.printf("- Settings: %d intra-op threads (inter-op 1, ALL_OPT, sequential) for every variant;"
                + " batch %d; service requests of %d sentences; %d measured rounds after one warm-up%n",
                options.threads(), options.batch(), options.requestSize(), options.rounds());
        out.printf("- Machine: %d cores, %s %s, JVM %s (%s), ONNX Runtime %s%n%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), Runtime.version(), System.getProperty("java.vm.name"), ortVersion);

        out.println("| Variant | sentences/s (median) | min – max | ms / sentence | CPU ms / sentence | vs (a) | padded tokens |");
        out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (Variant v : variants) {
            double rate = v.stats().median();
            out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f – %,.0f | %.3f | %.2f | %.2f | %s |%n", v.label(), rate,
                    v.stats().min(), v.stats().max(), 1000 / rate, v.stats().cpuMillisPerSentence(),
                    rate / referenceRate, padding(v, tokens, options));
        }
        out.println();
        out.printf(Locale.ROOT, "**service / (a) = %.2f**%n%n", find(variants, "(c)").stats().median() / referenceRate);

        printStageSplit(out, variants, options.rounds());
        return printAgreement(out, variants);
    }

    /** Padding overhead: token positions fed to the model beyond the real tokens, where it was counted. */
    private static String padding(Variant v, long realTokens, BenchmarkOptions options) {
        if (v.times() == null) {
            return "n/a";
        }
        double perPass = (double) v.times().paddedTokens / options.rounds();
        return String.format(Locale.ROOT, "+%.0f%%", 100 * (perPass / realTokens - 1));
    }

    private static void printStageSplit(PrintStream out, List<Variant> variants, int rounds) {
        out.println("Time per corpus pass of the plain pipelines, by stage (mean over the measured rounds):");
        out.println();
        out.println("| Variant | tokenize ms | ORT run ms (tensors in/out included) | pool + normalise ms |");
        out.println("|---|---:|---:|---:|");
        for (Variant v : variants) {
            if (v.times() != null) {
                out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n", v.label(), v.times().tokenizeMillis() / rounds,
                        v.times().inferMillis() / rounds, v.times().poolMillis() / rounds);
            }
        }
        out.println();
    }

    /** Shows that every row computed the same vectors as (a); a benchmark of different work is void. */
    private static boolean printAgreement(PrintStream out, List<Variant> variants) {
        float[][] reference = variants.get(0).lastVectors();
        boolean allSame = true;
        for (Variant v : variants.subList(1, variants.size())) {
            double diff = TextThroughputBenchmark.maxAbsDiff(reference, v.lastVectors());
            boolean same = diff < TextThroughputBenchmark.SAME_VECTORS;
            allSame &= same;
            out.printf(Locale.ROOT, "- Vectors of %s vs (a): max |diff| = %.2e (%s, limit %.0e)%n", v.label(), diff,
                    same ? "same" : "DIFFERENT", TextThroughputBenchmark.SAME_VECTORS);
        }
        if (!allSame) {
            out.println();
            out.println("**Some variant computed different vectors: its throughput is not comparable.**");
        }
        return allSame;
    }

    private static Variant find(List<Variant> variants, String prefix) {
        return variants.stream().filter(v -> v.label().startsWith(prefix)).findFirst().orElseThrow();
    }
}
