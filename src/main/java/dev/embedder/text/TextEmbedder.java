package dev.embedder.text;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import dev.embedder.bundle.BundleManifest;
import dev.embedder.bundle.PoolingMode;
import dev.embedder.error.InferenceException;
import dev.embedder.error.InputTooLargeException;
import dev.embedder.inference.GraphPooling;
import dev.embedder.inference.OnnxSession;
import dev.embedder.inference.Tensor;
import dev.embedder.observability.Stages;
import dev.embedder.pooling.DenseLayer;
import dev.embedder.pooling.LayerResolver;
import dev.embedder.pooling.Pooler;
import dev.embedder.pooling.PoolingSpec;
import dev.embedder.pooling.Vectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Text path of one bundle: tokenize → length-sorted micro-batches ({@link MicroBatches}) → ONNX Runtime → pool →
 * normalise. Results go back in the caller's order.
 */
public final class TextEmbedder implements AutoCloseable {

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";
    static final String POSITION_IDS = "position_ids";
    private static final Set<String> KNOWN_INPUTS = Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS, POSITION_IDS);

    private final BundleManifest manifest;
    private final TextPreprocessor preprocessor;
    private final OnnxSession session;
    private final int maxBatchSize;
    private final int maxBatchTokens;
    private final boolean feedsTokenTypes;
    private final boolean feedsPositions;
    private final boolean leftPadding;
    private final String defaultOutput;
    private final List<DenseLayer> dense;
    /** Runs micro-batches side by side; null when one at a time. */
    private final ExecutorService parallelRuns;

    public TextEmbedder(BundleManifest manifest, TextPreprocessor preprocessor, OnnxSession session,
            int maxBatchSize, int maxBatchTokens) {
        this(manifest, preprocessor, session, maxBatchSize, maxBatchTokens, List.of());
    }

    /** {@code dense}: the model's projections after pooling, in order (applied when no layers are requested). */
    public TextEmbedder(BundleManifest manifest, TextPreprocessor preprocessor, OnnxSession session,
            int maxBatchSize, int maxBatchTokens, List<DenseLayer> dense) {
        this(manifest, preprocessor, session, maxBatchSize, maxBatchTokens, dense, 1);
    }

    /**
     * {@code parallelRuns}: how many micro-batches of one call may run in ONNX Runtime at once (ONNX Runtime
     * sessions take concurrent runs); 1 runs them one after another on the calling thread.
     */
    public TextEmbedder(BundleManifest manifest, TextPreprocessor preprocessor, OnnxSession session,
            int maxBatchSize, int maxBatchTokens, List<DenseLayer> dense, int parallelRuns) {
        this.parallelRuns = parallelRuns <= 1 ? null
                : Executors.newFixedThreadPool(parallelRuns, runThreads(manifest.name()));
        this.manifest = manifest;
        this.dense = List.copyOf(dense);
        this.leftPadding = "left".equals(manifest.paddingSide());
        this.preprocessor = preprocessor;
        this.session = session;
        this.maxBatchSize = maxBatchSize;
        this.maxBatchTokens = maxBatchTokens;
        Set<String> inputs = session.inputNames();
        if (!inputs.contains(INPUT_IDS) || !KNOWN_INPUTS.containsAll(inputs)) {
            throw new IllegalStateException("text model '" + manifest.name() + "' has inputs " + inputs
                    + "; expected input_ids and optionally attention_mask, token_type_ids, position_ids"
                    + " (graphs with past_key_values or task inputs are not supported)");
        }
        this.feedsTokenTypes = inputs.contains(TOKEN_TYPE_IDS);
        this.feedsPositions = inputs.contains(POSITION_IDS);
        this.defaultOutput = manifest.pooling().output() != null ? manifest.pooling().output() : "last_hidden_state";
        if (!session.outputNames().contains(defaultOutput)) {
            throw new IllegalStateException("text model '" + manifest.name() + "' has no output " + defaultOutput);
        }
    }

    public BundleManifest manifest() {
        return manifest;
    }

    public TextPreprocessor preprocessor() {
        return preprocessor;
    }

    /** Checks a pooling request against this model before any work is done; returns the tensors to pool. */
    public List<String> outputsFor(PoolingSpec spec) {
        return spec.layers().isEmpty()
                ? List.of(defaultOutput)
                : LayerResolver.tensorsFor(spec.layers(), manifest.hiddenStates(), manifest.name());
    }

    /** Tokenizes and embeds in the calling thread: the direct path, without cross-request batching. */
    public TextEmbeddings embed(List<String> texts, PoolingSpec spec, boolean truncate) {
        List<TokenizedText> tokenized = tokenize(texts, truncate);
        float[][] pooled = pool(tokenized, spec);
        return finish(tokenized, pooled, spec);
    }

    /**
     * Tokenizes and enforces the token limit: over-long texts are refused unless {@code truncate}, in
     * which case the tokenizer has already cut them.
     */
    public List<TokenizedText> tokenize(List<String> texts, boolean truncate) {
        return tokenize(texts, truncate, TruncationDirection.RIGHT);
    }

    /** As {@link #tokenize(List, boolean)}, cutting over-long texts on the given side. */
    public List<TokenizedText> tokenize(List<String> texts, boolean truncate, TruncationDirection direction) {
        List<TokenizedText> tokenized = preprocessor.tokenize(texts, direction);
        if (!truncate) {
            for (int i = 0; i < tokenized.size(); i++) {
                if (tokenized.get(i).truncated()) {
                    throw new InputTooLargeException("input " + i + " is longer than the " + preprocessor.maxTokens()
                            + "-token limit of model '" + manifest.name() + "'; shorten it or send truncate=true");
                }
            }
        }
        return tokenized;
    }

    /**
     * Runs the model over token sequences of any number of requests and pools them, unnormalised, in
     * the given order. Sequences are length-sorted into micro-batches first.
     */
    public float[][] pool(List<TokenizedText> tokenized, PoolingSpec spec) {
        List<String> outputs = outputsFor(spec);
        float[][] pooled = new float[tokenized.size()][];
        List<int[]> batches = microBatches(tokenized);
        if (batches.size() == 1 || parallelRuns == null) {
            for (int[] batch : batches) {
                runInto(pooled, tokenized, batch, outputs, spec);
            }
            return pooled;
        }
        // Calls run side by side: one call's single-threaded stretches leave a core idle that the other fills.
        long sectionStart = System.nanoTime();
        List<Future<?>> calls = new ArrayList<>(batches.size());
        for (int[] batch : batches) {
            calls.add(parallelRuns.submit(() -> runInto(pooled, tokenized, batch, outputs, spec)));
        }
        RuntimeException failure = null;
        for (Future<?> call : calls) {
            try {
                call.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InferenceException("interrupted while waiting for the model", e);
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r
                            : new InferenceException("inference failed: " + e.getCause(), e.getCause());
                }
            }
        }
        Stages.parallelRuns(batches.stream().mapToInt(b -> b.length).max().orElse(0), System.nanoTime() - sectionStart);
        if (failure != null) {
            throw failure;
        }
        return pooled;
    }

    /**
     * Pools all the sequences in one micro-batch, padded together whatever the plan would cut: for checks against
     * references computed on one padded batch (with left padding and absolute positions, a BERT-style model's
     * vectors depend on how much padding a sequence shares its batch with, as in transformers).
     */
    public float[][] poolAsOneBatch(List<TokenizedText> tokenized, PoolingSpec spec) {
        float[][] pooled = new float[tokenized.size()][];
        runInto(pooled, tokenized, IntStream.range(0, tokenized.size()).toArray(), outputsFor(spec), spec);
        return pooled;
    }

    private void runInto(float[][] pooled, List<TokenizedText> tokenized, int[] batch, List<String> outputs,
            PoolingSpec spec) {
        List<TokenizedText> items = select(tokenized, batch);
        float[][] vectors = runBatch(TokenBatch.pad(items, leftPadding), outputs, spec.mode());
        if (spec.layers().isEmpty()) {
            for (DenseLayer layer : dense) {
                for (int k = 0; k < vectors.length; k++) {
                    vectors[k] = layer.apply(vectors[k]);
                }
            }
        }
        for (int k = 0; k < batch.length; k++) {
            pooled[batch[k]] = vectors[k];
        }
    }

    /**
     * Per-token vectors (TEI's {@code embed_all}): for each text its tokens' states of the given tensors, averaged
     * over the tensors when there are several, special tokens included and padding removed; not normalised.
     */
    public List<float[][]> tokenVectors(List<TokenizedText> tokenized, List<String> outputs) {
        List<float[][]> out = new ArrayList<>(Collections.nCopies(tokenized.size(), null));
        for (int[] batch : microBatches(tokenized)) {
            List<TokenizedText> items = select(tokenized, batch);
            TokenBatch padded = TokenBatch.pad(items);
            long runStart = System.nanoTime();
            Map<String, Tensor> hidden = session.run(inputsFor(padded), new LinkedHashSet<>(outputs));
            long runEnd = System.nanoTime();
            List<Tensor> tensors = outputs.stream().map(hidden::get).toList();
            for (int k = 0; k < batch.length; k++) {
                out.set(batch[k], Pooler.tokens(tensors, k, items.get(k).length()));
            }
            // The per-token extraction stands where pooling does on the pooled path.
            Stages.run(manifest.name(), batch.length, realTokens(padded.attentionMask()),
                    padded.shape()[0] * padded.shape()[1], runEnd - runStart, System.nanoTime() - runEnd);
        }
        return out;
    }

    /** Normalises (if asked) and attaches token accounting. */
    public static TextEmbeddings finish(List<TokenizedText> tokenized, float[][] pooled, PoolingSpec spec) {
        int truncated = 0;
        int[] counts = new int[tokenized.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = tokenized.get(i).length();
            truncated += tokenized.get(i).truncated() ? 1 : 0;
            if (spec.normalize()) {
                Vectors.l2Normalize(pooled[i]);
            }
        }
        return new TextEmbeddings(Arrays.asList(pooled), counts, truncated);
    }

    /** Length-sorted micro-batches of the inputs, cut where padding would cost more than a call (see MicroBatches). */
    List<int[]> microBatches(List<TokenizedText> tokenized) {
        int[] lengths = new int[tokenized.size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = tokenized.get(i).length();
        }
        return MicroBatches.plan(lengths, maxBatchSize, maxBatchTokens);
    }

    private static List<TokenizedText> select(List<TokenizedText> tokenized, int[] batch) {
        List<TokenizedText> items = new ArrayList<>(batch.length);
        for (int index : batch) {
            items.add(tokenized.get(index));
        }
        return items;
    }

    /** Daemon threads named after the model, for the side-by-side runs. */
    private static ThreadFactory runThreads(String model) {
        AtomicInteger count = new AtomicInteger();
        return run -> {
            Thread thread = new Thread(run, "embedder-run-" + model + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private float[][] runBatch(TokenBatch batch, List<String> outputs, PoolingMode mode) {
        long runStart = System.nanoTime();
        long[] shape = batch.shape();
        // Pooled inside the graph when the session was built with this pooling: only [batch, dim] comes out.
        java.util.Optional<String> inGraph = session.pooledOutput(mode, outputs);
        if (inGraph.isPresent()) {
            float[][] rows = GraphPooling.rows(session.run(inputsFor(batch), Set.of(inGraph.get())).get(inGraph.get()));
            // Pooling ran inside ONNX Runtime, so it is part of the inference time here.
            Stages.run(manifest.name(), (int) shape[0], realTokens(batch.attentionMask()), shape[0] * shape[1],
                    System.nanoTime() - runStart, 0);
            return rows;
        }
        Map<String, Tensor> hidden = session.run(inputsFor(batch), new LinkedHashSet<>(outputs));
        long runEnd = System.nanoTime();
        List<float[][]> perLayer = new ArrayList<>(outputs.size());
        for (String output : outputs) {
            Tensor tensor = hidden.get(output);
            long[] mask = batch.attentionMask();
            perLayer.add(switch (mode) {
                case CLS -> Pooler.firstReal(tensor, mask);
                case MAX -> Pooler.maskedMax(tensor, mask);
                case LAST_TOKEN -> Pooler.lastToken(tensor, mask);
                case MEAN -> Pooler.maskedMean(tensor, mask);
            });
        }
        float[][] pooled = Pooler.average(perLayer);
        Stages.run(manifest.name(), (int) shape[0], realTokens(batch.attentionMask()), shape[0] * shape[1],
                runEnd - runStart, System.nanoTime() - runEnd);
        return pooled;
    }

    private static long realTokens(long[] attentionMask) {
        long real = 0;
        for (long m : attentionMask) {
            real += m;
        }
        return real;
    }

    private Map<String, OnnxTensor> inputsFor(TokenBatch batch) {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put(INPUT_IDS, session.longTensor(batch.inputIds(), batch.shape()));
            if (session.inputNames().contains(ATTENTION_MASK)) {
                inputs.put(ATTENTION_MASK, session.longTensor(batch.attentionMask(), batch.shape()));
            }
            if (feedsTokenTypes) {
                inputs.put(TOKEN_TYPE_IDS, session.longTensor(batch.tokenTypeIds(), batch.shape()));
            }
            if (feedsPositions) {
                inputs.put(POSITION_IDS, session.longTensor(batch.positionIds(), batch.shape()));
            }
        } catch (OrtException e) {
            inputs.values().forEach(OnnxTensor::close);
            throw new InferenceException("cannot create input tensors: " + e.getMessage(), e);
        }
        return inputs;
    }

    @Override
    public void close() {
        if (parallelRuns != null) {
            parallelRuns.shutdownNow();
        }
        session.close();
        preprocessor.close();
    }
}
