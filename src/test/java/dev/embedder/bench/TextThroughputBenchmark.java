package dev.embedder.bench;

import ai.onnxruntime.OrtEnvironment;
import dev.embedder.bundle.BundleManifest;
import dev.embedder.bundle.ModelBundle;
import dev.embedder.inference.GraphOutputs;
import dev.embedder.testing.Bundles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Sentences per second of the service's text path against plain ONNX Runtime on the same model,
 * thread count and corpus, in one JVM. Not a test: it asserts nothing about time and prints a
 * markdown report. Run with {@code ./mvnw -q -B test-compile exec:java -Dexec.args="..."}; see
 * {@link BenchmarkOptions} for the flags.
 *
 * <p>Every variant does the whole job (tokenize, run, pool, normalise) on the whole corpus, and the
 * vectors of each are compared with the sorted baseline's, so a faster row cannot be faster by doing
 * different work.
 */
public final class TextThroughputBenchmark {

    /** Largest element-wise difference accepted between two variants' vectors. */
    static final double SAME_VECTORS = 1e-4;

    private TextThroughputBenchmark() {}

    public static void main(String[] args) throws Exception {
        // Like the surefire configuration: a benchmark run must not phone home or look for downloads.
        System.setProperty("offline", System.getProperty("offline", "true"));
        System.setProperty("OPT_OUT_TRACKING", System.getProperty("OPT_OUT_TRACKING", "true"));
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        boolean same = run(options);
        // exec:java would otherwise keep the JVM for ONNX Runtime's and DJL's native threads.
        System.exit(same ? 0 : 1);
    }

    /** Runs every variant and prints the report; false when some variant computed different vectors. */
    static boolean run(BenchmarkOptions options) throws Exception {
        List<String> corpus = Corpus.load();
        ModelBundle bundle = Bundles.load(options.model());
        BundleManifest manifest = bundle.manifest();
        byte[] model = bundle.read("model");
        byte[] tokenizer = bundle.read("tokenizer");
        System.err.printf("Opening %s: one ONNX Runtime session per pipeline...%n", options.model());

        List<Variant> variants = new ArrayList<>();
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            PlainOrtPipeline plain = new PlainOrtPipeline(model, tokenizer, manifest.maxTokens(), options.threads());
            resources.add(plain);
            ServicePath service = new ServicePath(options.model(), options.threads(), options.batch());
            resources.add(service);

            variants.add(plainVariant("(a) plain ORT, sorted", plain, corpus, PlainOrtPipeline.Order.SORTED, options));
            if (!options.quick()) {
                variants.add(plainVariant("(b) plain ORT, arrival order", plain, corpus, PlainOrtPipeline.Order.ARRIVAL,
                        options));
            }
            variants.add(new Variant("(c) service path, TextEmbedder.embed", null,
                    (texts, times) -> service.embed(texts, options.requestSize())));
            variants.add(new Variant("(f) service, " + options.clients() + " concurrent clients x " + options.clientRequestSize()
                    + " sentences, dynamic batching", null,
                    (texts, times) -> service.embedConcurrently(texts, options.clientRequestSize(), options.clients())));
            if (options.breakdown()) {
                ServicePath javaPooling = new ServicePath(options.model(), options.threads(), options.batch(), false);
                resources.add(javaPooling);
                variants.add(new Variant("(g) as (f), pooling in Java (graph-pooling=false)", null,
                        (texts, times) -> javaPooling.embedConcurrently(texts, options.clientRequestSize(),
                                options.clients())));
                variants.add(plainVariant("(d) plain ORT, sorted per request", plain, corpus,
                        PlainOrtPipeline.Order.SORTED_PER_REQUEST, options));
                // The service session's model: the same bytes with the hidden states added as graph outputs.
                List<String> declared = GraphOutputs.declaredOutputs(model);
                List<String> extra = service.exposedTensors().stream().filter(n -> !declared.contains(n)).toList();
                PlainOrtPipeline exposed = new PlainOrtPipeline(GraphOutputs.withFloatOutputs(model, extra), tokenizer,
                        manifest.maxTokens(), options.threads());
                resources.add(exposed);
                variants.add(plainVariant("(e) plain ORT, sorted per request, hidden states exposed", exposed, corpus,
                        PlainOrtPipeline.Order.SORTED_PER_REQUEST, options));
            }

            int[] tokenCounts = plain.tokenCounts(corpus);
            measure(variants, corpus, options);
            boolean same = MarkdownReport.print(System.out, options, corpus, tokenCounts, manifest.maxTokens(),
                    variants, OrtEnvironment.getEnvironment().getVersion());
            printResultLines(options, corpus, variants, same);
            return same;
        } finally {
            for (int i = resources.size() - 1; i >= 0; i--) {
                resources.get(i).close();
            }
        }
    }

    /** The numbers infra/bench/run-all.sh puts in its table (see {@link ResultLines}). */
    private static void printResultLines(BenchmarkOptions options, List<String> corpus, List<Variant> variants,
            boolean same) {
        ResultLines results = new ResultLines(System.out);
        results.put("inproc.model", options.model());
        results.put("inproc.threads", Integer.toString(options.threads()));
        results.put("inproc.rounds", Integer.toString(options.rounds()));
        results.put("inproc.corpus", Integer.toString(corpus.size()));
        results.put("inproc.corpus_source", Corpus.source());
        results.put("inproc.clients", Integer.toString(options.clients()));
        results.put("inproc.client_request_size", Integer.toString(options.clientRequestSize()));
        results.put("inproc.ort_version", OrtEnvironment.getEnvironment().getVersion());
        results.put("inproc.ceiling", find(variants, "(a)").stats());
        if (!options.quick()) {
            results.put("inproc.arrival", find(variants, "(b)").stats());
        }
        results.put("inproc.service", find(variants, "(c)").stats());
        results.put("inproc.concurrent", find(variants, "(f)").stats());
        results.put("inproc.same_vectors", Boolean.toString(same));
    }

    private static Variant find(List<Variant> variants, String prefix) {
        return variants.stream().filter(v -> v.label().startsWith(prefix)).findFirst().orElseThrow();
    }

    private static Variant plainVariant(String label, PlainOrtPipeline pipeline, List<String> corpus,
            PlainOrtPipeline.Order order, BenchmarkOptions options) {
        return new Variant(label, new StageTimes(),
                (texts, times) -> pipeline.embed(texts, order, options.batch(), options.requestSize(), times));
    }

    /**
     * One untimed warm-up pass per variant (JIT, ONNX Runtime's first-run allocations), then the measured
     * rounds. Each round starts with a different variant, so no variant always runs right after the same
     * neighbour (whose thread pool may still be spinning down).
     */
    private static void measure(List<Variant> variants, List<String> corpus, BenchmarkOptions options)
            throws Exception {
        for (Variant v : variants) {
            System.err.printf("warm-up   %s%n", v.label());
            if (options.quick()) {
                v.pass().run(corpus.subList(0, Math.min(200, corpus.size())), new StageTimes());
            } else {
                v.pass().run(corpus, new StageTimes());
            }
        }
        for (int round = 0; round < options.rounds(); round++) {
            for (int k = 0; k < variants.size(); k++) {
                Variant v = variants.get((round + k) % variants.size());
                StageTimes times = v.times() != null ? v.times() : new StageTimes();
                long cpu = processCpuNanos();
                long start = System.nanoTime();
                float[][] vectors = v.pass().run(corpus, times);
                long nanos = System.nanoTime() - start;
                v.stats().add(corpus.size(), nanos, processCpuNanos() - cpu);
                v.keep(vectors);
                System.err.printf(Locale.ROOT, "round %d/%d %-58s %8.1f sentences/s%n", round + 1, options.rounds(),
                        v.label(), corpus.size() / (nanos / 1e9));
            }
        }
    }

    /** CPU time of this whole JVM so far (every thread: ONNX Runtime's, the callers', the JIT's and the GC's). */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Largest absolute element-wise difference between two sets of vectors. */
    static double maxAbsDiff(float[][] a, float[][] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == null || b[i] == null || a[i].length != b[i].length) {
                return Double.POSITIVE_INFINITY;
            }
            for (int d = 0; d < a[i].length; d++) {
                max = Math.max(max, Math.abs(a[i][d] - b[i][d]));
            }
        }
        return max;
    }

    /** One row of the report. */
    static final class Variant {

        /** A full pass over {@code texts} (the corpus, or a part of it to warm up), vectors in their order. */
        interface Pass {
            float[][] run(List<String> texts, StageTimes times) throws Exception;
        }

        private final String label;
        private final StageTimes times;
        private final Pass pass;
        private final RoundStats stats = new RoundStats();
        private float[][] lastVectors;

        /** @param times accumulates the stage split over the measured rounds; null where it is not observable */
        Variant(String label, StageTimes times, Pass pass) {
            this.label = label;
            this.times = times;
            this.pass = pass;
        }

        String label() {
            return label;
        }

        StageTimes times() {
            return times;
        }

        Pass pass() {
            return pass;
        }

        RoundStats stats() {
            return stats;
        }

        float[][] lastVectors() {
            return lastVectors;
        }

        void keep(float[][] vectors) {
            this.lastVectors = Arrays.copyOf(vectors, vectors.length);
        }
    }
}
