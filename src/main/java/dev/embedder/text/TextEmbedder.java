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
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Text path of one bundle: tokenize → length-sorted micro-batches → ONNX Runtime → pool → normalise.
 * Sorting by length keeps padding, and so wasted compute, small; results go back in the caller's order.
 */
public final class TextEmbedder implements AutoCloseable {

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";
    static final String POSITION_IDS = "position_ids";
    private static final Set<String> KNOWN_INPUTS = Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS, POSITION_IDS);
    /** Padding share above which a micro-batch is closed before it is full. */
    private static final double MAX_PADDING_SHARE = 0.25;
    /** Below this many sequences a batch is never split for padding: per-call overhead would dominate. */
    private static final int MIN_BATCH_BEFORE_SPLIT = 4;

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

    public TextEmbedder(BundleManifest manifest, TextPreprocessor preprocessor, OnnxSession session,
            int maxBatchSize, int maxBatchTokens) {
        this(manifest, preprocessor, session, maxBatchSize, maxBatchTokens, List.of());
    }

    /** {@code dense}: the model's projections after pooling, in order (applied when no layers are requested). */
    public TextEmbedder(BundleManifest manifest, TextPreprocessor preprocessor, OnnxSession session,
            int maxBatchSize, int maxBatchTokens, List<DenseLayer> dense) {
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
        for (int[] batch : microBatches(tokenized)) {
            List<TokenizedText> items = new ArrayList<>(batch.length);
            for (int index : batch) {
                items.add(tokenized.get(index));
            }
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
        return pooled;
    }

    /**
     * Per-token vectors (TEI's {@code embed_all}): for each text its tokens' states of the given tensors, averaged
     * over the tensors when there are several, special tokens included and padding removed; not normalised.
     */
    public List<float[][]> tokenVectors(List<TokenizedText> tokenized, List<String> outputs) {
        List<float[][]> out = new ArrayList<>(java.util.Collections.nCopies(tokenized.size(), null));
        for (int[] batch : microBatches(tokenized)) {
            List<TokenizedText> items = new ArrayList<>(batch.length);
            for (int index : batch) {
                items.add(tokenized.get(index));
            }
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

    /**
     * Groups input indices, sorted by token length, into micro-batches under the batch size and the
     * padded-token budget. A batch is also closed early when the next, longer sequence would make more
     * than a quarter of its padded tokens padding: on a CPU a few more, smaller calls cost far less than
     * computing attention over padding (the sort window of one request is small, so lengths still spread).
     */
    List<int[]> microBatches(List<TokenizedText> tokenized) {
        Integer[] order = new Integer[tokenized.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> tokenized.get(i).length()));
        List<int[]> batches = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        long realTokens = 0;
        for (Integer index : order) {
            int length = tokenized.get(index).length();
            // Sorted ascending, so the newest item is the longest: the padded size is count x its length.
            long padded = (long) (current.size() + 1) * length;
            boolean full = current.size() == maxBatchSize || padded > maxBatchTokens
                    || (current.size() >= MIN_BATCH_BEFORE_SPLIT && realTokens + length < padded * (1 - MAX_PADDING_SHARE));
            if (!current.isEmpty() && full) {
                batches.add(current.stream().mapToInt(Integer::intValue).toArray());
                current.clear();
                realTokens = 0;
            }
            current.add(index);
            realTokens += length;
        }
        if (!current.isEmpty()) {
            batches.add(current.stream().mapToInt(Integer::intValue).toArray());
        }
        return batches;
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
        session.close();
        preprocessor.close();
    }
}
