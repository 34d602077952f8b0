package dev.embedder.bench;

import dev.embedder.batching.BatchingSettings;
import dev.embedder.batching.TextBatcher;
import dev.embedder.bundle.BundleManifest;
import dev.embedder.bundle.ModelBundle;
import dev.embedder.bundle.PoolingMode;
import dev.embedder.inference.CpuBudget;
import dev.embedder.inference.ExecutionDevice;
import dev.embedder.inference.GraphPooling;
import dev.embedder.inference.OnnxSession;
import dev.embedder.inference.SessionSettings;
import dev.embedder.pooling.PoolingSpec;
import dev.embedder.testing.Bundles;
import dev.embedder.text.TextEmbedder;
import dev.embedder.text.TextPreprocessor;
import java.util.List;

/**
 * The service's text path, built the way {@code ModelRegistry} builds it (hidden states exposed, the
 * default pooling inside the graph, the configured micro-batch limits) and the way {@link Bundles#textEmbedder}
 * does outside CDI, with the benchmark's intra-op thread count (by default the CPU count, the service's
 * default too), so every variant runs on the same number of threads.
 */
final class ServicePath implements AutoCloseable {

    /** The service's default for {@code embedder.inference.max-batch-tokens}. */
    static final int MAX_BATCH_TOKENS = 16384;

    private final TextEmbedder embedder;
    private final PoolingSpec defaultPooling;
    private final TextBatcher batcher;

    ServicePath(String model, int threads, int maxBatchSize) {
        this(model, threads, maxBatchSize, true);
    }

    /** {@code graphPooling=false}: as with embedder.inference.graph-pooling=false (all pooling in Java). */
    ServicePath(String model, int threads, int maxBatchSize, boolean graphPooling) {
        this(model, threads, maxBatchSize, graphPooling, false);
    }

    /** {@code allowSpinning=true}: as with embedder.inference.allow-spinning=true. */
    ServicePath(String model, int threads, int maxBatchSize, boolean graphPooling, boolean allowSpinning) {
        ModelBundle bundle = Bundles.load(model);
        BundleManifest manifest = bundle.manifest();
        TextPreprocessor preprocessor = new TextPreprocessor(bundle.read("tokenizer"), manifest.maxTokens());
        // As ModelRegistry with its defaults: the bundle's default pooling inside the graph, no spin-waiting unless asked.
        OnnxSession session = new OnnxSession(bundle.read("model"), manifest.hiddenStates(),
                graphPooling ? GraphPooling.forDefaults(manifest).stream().toList() : List.of(),
                new SessionSettings(threads, 1, "all", ExecutionDevice.CPU, 0, false, true, false, false,
                        allowSpinning));
        // embedder.inference.parallel-runs' default: micro-batches side by side, one more than the CPUs.
        this.embedder = new TextEmbedder(manifest, preprocessor, session, maxBatchSize, MAX_BATCH_TOKENS, List.of(),
                CpuBudget.parallelRuns(0));
        // What a request without pooling overrides gets: the bundle's mode and normalisation, its pooled output.
        BundleManifest.Pooling defaults = manifest.pooling();
        this.defaultPooling = new PoolingSpec(
                defaults.mode() != null ? PoolingMode.parse(defaults.mode()) : PoolingMode.MEAN,
                List.of(),
                defaults.normalize() == null || defaults.normalize());
        // The service's batching defaults (embedder.batching.*), with a queue large enough for the test.
        this.batcher = new TextBatcher(embedder, new BatchingSettings(true, MAX_BATCH_TOKENS, 0, 1_000_000));
    }

    /**
     * What the HTTP service does with concurrent callers: each client thread tokenizes its own request and
     * queues it; the batcher's worker runs whatever is waiting as length-sorted micro-batches.
     */
    float[][] embedConcurrently(List<String> texts, int requestSize, int clients) throws Exception {
        float[][] vectors = new float[texts.size()][];
        ConcurrentClients.run(texts, requestSize, clients, (start, request) -> {
            var tokens = embedder.tokenize(request, true);
            float[][] pooled = batcher.pool(tokens, defaultPooling);
            List<float[]> result = TextEmbedder.finish(tokens, pooled, defaultPooling).vectors();
            for (int i = 0; i < result.size(); i++) {
                vectors[start + i] = result.get(i);
            }
        });
        return vectors;
    }

    /** One sentence the way one HTTP request takes it: tokenized here, run by the batcher's worker. */
    float[] embedOne(String sentence) {
        var tokens = embedder.tokenize(List.of(sentence), true);
        float[][] pooled = batcher.pool(tokens, defaultPooling);
        return TextEmbedder.finish(tokens, pooled, defaultPooling).vectors().get(0);
    }

    dev.embedder.text.TextEmbedder embedder() {
        return embedder;
    }

    PoolingSpec defaultPooling() {
        return defaultPooling;
    }

    /** The hidden-state tensors the service session exposes as extra graph outputs. */
    List<String> exposedTensors() {
        return embedder.manifest().hiddenStates();
    }

    /** Sends {@code texts} as consecutive requests of {@code requestSize}, in order, as clients would. */
    float[][] embed(List<String> texts, int requestSize) {
        float[][] vectors = new float[texts.size()][];
        for (int start = 0; start < texts.size(); start += requestSize) {
            List<String> request = texts.subList(start, Math.min(texts.size(), start + requestSize));
            List<float[]> result = embedder.embed(request, defaultPooling, true).vectors();
            for (int i = 0; i < result.size(); i++) {
                vectors[start + i] = result.get(i);
            }
        }
        return vectors;
    }

    @Override
    public void close() {
        batcher.close();
        embedder.close();
    }
}
