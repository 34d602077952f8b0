package dev.embedder.service;

import ai.djl.huggingface.tokenizers.Encoding;
import dev.embedder.batching.TextBatcher;
import dev.embedder.bundle.BundleManifest;
import dev.embedder.bundle.PoolingMode;
import dev.embedder.config.EmbedderConfig;
import dev.embedder.error.InputTooLargeException;
import dev.embedder.error.InvalidInputException;
import dev.embedder.image.ImageEmbedder;
import dev.embedder.observability.RequestObserver;
import dev.embedder.observability.RequestTimings;
import dev.embedder.pooling.PoolingSpec;
import dev.embedder.pooling.Vectors;
import dev.embedder.text.TextEmbedder;
import dev.embedder.text.TextEmbeddings;
import dev.embedder.text.TokenizedText;
import dev.embedder.text.TruncationDirection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * The single entry point of the embedding path. Every adapter (Funqy on Lambda or HTTP, the OpenAI
 * and TEI routes) maps its wire format to a {@link TextEmbeddingRequest} and calls this; all input
 * validation happens here, before any tokenization or inference.
 */
@ApplicationScoped
public class EmbeddingService {

    private final ModelRegistry registry;
    private final EmbedderConfig.Limits limits;
    /** Metrics, spans, the request log line and the timing headers (dev.embedder.observability). */
    @jakarta.inject.Inject
    RequestObserver observer;

    public EmbeddingService(ModelRegistry registry, EmbedderConfig config) {
        this.registry = registry;
        this.limits = config.limits();
    }

    public EmbeddingResult embedText(TextEmbeddingRequest request) {
        return observed(() -> embedTextObserved(request));
    }

    /** Runs one request under the observer (timings, metrics, the request log line), when there is one. */
    private <T> T observed(java.util.function.Supplier<T> call) {
        RequestTimings timings = observer == null ? null : observer.begin();
        try {
            T result = call.get();
            if (observer != null) {
                observer.succeeded(timings);
            }
            return result;
        } catch (RuntimeException e) {
            if (observer != null) {
                observer.failed(timings, e);
            }
            throw e;
        }
    }

    private EmbeddingResult embedTextObserved(TextEmbeddingRequest request) {
        TextEmbedder embedder = registry.text(request.model());
        BundleManifest manifest = embedder.manifest();
        RequestObserver.describe(manifest.name(), "text", request.inputs() == null ? 0 : request.inputs().size());
        validateInputs(request.inputs());
        PoolingSpec spec = poolingSpec(manifest, request.pooling());
        embedder.outputsFor(spec);
        Integer dimensions = checkDimensions(manifest, request.dimensions());
        List<String> texts = Prompts.resolve(manifest, request.promptName(), request.prompt()).apply(request.inputs());
        // Tokenize here, on the caller's thread; only the model run goes through the batcher.
        long tokenizeStart = System.nanoTime();
        List<TokenizedText> tokenized = embedder.tokenize(texts, request.truncate(),
                request.truncationDirection());
        RequestObserver.tokenized(tokenizeStart, System.nanoTime(),
                tokenized.stream().mapToInt(TokenizedText::length).sum());
        TextBatcher batcher = registry.batcher(manifest.name());
        float[][] pooled = batcher != null ? batcher.pool(tokenized, spec) : embedder.pool(tokenized, spec);
        TextEmbeddings embeddings = TextEmbedder.finish(tokenized, pooled, spec);
        Usage usage = new Usage(embeddings.totalTokens(), embeddings.totalTokens(), embeddings.truncated());
        return result(manifest, embeddings.vectors(), dimensions, spec, usage);
    }

    /**
     * For wire formats with a single list of strings (OpenAI's {@code input}, TEI's {@code inputs}): the
     * strings are texts, or base64 / data-URI images when the named model is an image model.
     */
    public EmbeddingResult embedStrings(String model, List<String> items, PoolingOverrides pooling, boolean truncate,
            Integer dimensions) {
        return embedStrings(model, items, pooling, truncate, dimensions, TruncationDirection.RIGHT);
    }

    /** As above, cutting over-long texts on the given side (images ignore it). */
    public EmbeddingResult embedStrings(String model, List<String> items, PoolingOverrides pooling, boolean truncate,
            Integer dimensions, TruncationDirection direction) {
        return embedStrings(model, items, pooling, truncate, dimensions, direction, null, null);
    }

    /** As above, with a prompt by name or as text (text models only). */
    public EmbeddingResult embedStrings(String model, List<String> items, PoolingOverrides pooling, boolean truncate,
            Integer dimensions, TruncationDirection direction, String promptName, String prompt) {
        if (registry.modalityOf(model) == dev.embedder.bundle.Modality.IMAGE) {
            if (promptName != null || prompt != null) {
                throw new InvalidInputException("model '" + model + "' embeds images; prompt_name and prompt apply to"
                        + " text models");
            }
            return embedEncodedImages(model, items, pooling, dimensions);
        }
        return embedText(new TextEmbeddingRequest(model, items, pooling, truncate, dimensions, direction, promptName,
                prompt));
    }

    /**
     * Token embeddings (TEI's {@code embed_all}): each input's per-token states of the requested layers (averaged
     * when several; the bundle's output when none), padding removed, not pooled and not normalised. Pooling mode,
     * normalisation and dimensions do not apply; the total token count is bounded by max-token-embeddings.
     */
    public TokenEmbeddingResult embedTokens(TextEmbeddingRequest request) {
        return observed(() -> embedTokensObserved(request));
    }

    private TokenEmbeddingResult embedTokensObserved(TextEmbeddingRequest request) {
        TextEmbedder embedder = registry.text(request.model());
        BundleManifest manifest = embedder.manifest();
        RequestObserver.describe(manifest.name(), "text", request.inputs() == null ? 0 : request.inputs().size());
        validateInputs(request.inputs());
        PoolingOverrides o = request.pooling() == null ? PoolingOverrides.NONE : request.pooling();
        if (o.mode() != null || o.normalize() != null || request.dimensions() != null) {
            throw new InvalidInputException("token embeddings are neither pooled, normalised nor shortened: omit"
                    + " pooling, normalize and dimensions (layers choose the hidden layer)");
        }
        PoolingSpec spec = poolingSpec(manifest, new PoolingOverrides(null, o.layers(), false));
        List<String> outputs = embedder.outputsFor(spec);
        long tokenizeStart = System.nanoTime();
        List<TokenizedText> tokenized = embedder.tokenize(request.inputs(), request.truncate(),
                request.truncationDirection());
        int tokens = tokenized.stream().mapToInt(TokenizedText::length).sum();
        RequestObserver.tokenized(tokenizeStart, System.nanoTime(), tokens);
        if (tokens > limits.maxTokenEmbeddings()) {
            throw new InputTooLargeException("token embeddings for " + tokens + " tokens were asked for; the limit is "
                    + limits.maxTokenEmbeddings() + " tokens per request (embedder.limits.max-token-embeddings)");
        }
        List<float[][]> vectors = embedder.tokenVectors(tokenized, outputs);
        int truncated = (int) tokenized.stream().filter(TokenizedText::truncated).count();
        return new TokenEmbeddingResult(manifest.name(), vectors.get(0)[0].length, vectors,
                new Usage(tokens, tokens, truncated));
    }

    /**
     * TEI's {@code /tokenize}: each text's encoding by the model's tokenizer (special tokens when asked), after the
     * same input checks as embedding. Observed like the embedding routes, with tokenization as its only stage.
     */
    public List<Encoding> tokenize(String model, List<String> texts, boolean addSpecialTokens) {
        return observed(() -> {
            TextEmbedder embedder = registry.text(model);
            RequestObserver.describeTokenization(embedder.manifest().name(), texts == null ? 0 : texts.size());
            // The same limits as embedding: /tokenize must not be a way round max-text-chars or max-inputs.
            validateInputs(texts);
            long start = System.nanoTime();
            List<Encoding> encodings = new ArrayList<>(texts.size());
            int tokens = 0;
            for (String text : texts) {
                Encoding encoding = embedder.preprocessor().encode(text, addSpecialTokens);
                encodings.add(encoding);
                tokens += encoding.getIds().length;
            }
            RequestObserver.tokenized(start, System.nanoTime(), tokens);
            return encodings;
        });
    }

    /**
     * TEI's {@code /similarity}: the source sentence and the others embedded together (normalised, the model's
     * pooling), then the cosine of the source to each.
     */
    public SimilarityResult similarity(String model, String source, List<String> sentences, boolean truncate,
            TruncationDirection direction) {
        if (source == null || sentences == null || sentences.isEmpty()) {
            throw new InvalidInputException("inputs needs 'source_sentence' (a string) and 'sentences' (a non-empty"
                    + " array of strings)");
        }
        List<String> all = new ArrayList<>(sentences.size() + 1);
        all.add(source);
        all.addAll(sentences);
        EmbeddingResult result = embedText(new TextEmbeddingRequest(model, all,
                new PoolingOverrides(null, null, true), truncate, null, direction));
        float[] scores = new float[sentences.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = (float) Vectors.cosine(result.vectors().get(0), result.vectors().get(i + 1));
        }
        return new SimilarityResult(result.model(), scores, result.usage());
    }

    /** Images as JSON carries them (base64 or data URIs); counted before any of them is decoded. */
    public EmbeddingResult embedEncodedImages(String model, List<String> encoded, PoolingOverrides pooling,
            Integer dimensions) {
        if (encoded != null) {
            requireAtMostMaxInputs(encoded.size(), "images");
        }
        return embedImages(new ImageEmbeddingRequest(model,
                encoded == null ? null : ImageData.decodeAll(encoded), pooling, dimensions));
    }

    public EmbeddingResult embedImages(ImageEmbeddingRequest request) {
        return observed(() -> embedImagesObserved(request));
    }

    private EmbeddingResult embedImagesObserved(ImageEmbeddingRequest request) {
        ImageEmbedder embedder = registry.image(request.model());
        BundleManifest manifest = embedder.manifest();
        List<byte[]> images = request.images();
        RequestObserver.describe(manifest.name(), "image", images == null ? 0 : images.size());
        if (images == null || images.isEmpty()) {
            throw new InvalidInputException("images must contain at least one image");
        }
        requireAtMostMaxInputs(images.size(), "images");
        PoolingSpec spec = poolingSpec(manifest, request.pooling());
        embedder.outputsFor(spec);
        Integer dimensions = checkDimensions(manifest, request.dimensions());
        List<float[]> vectors = embedder.embed(images, spec).vectors();
        return result(manifest, vectors, dimensions, spec, new Usage(0, 0, 0));
    }

    private void requireAtMostMaxInputs(int count, String what) {
        if (count > limits.maxInputs()) {
            throw new InputTooLargeException("too many " + what + ": " + count + ", the limit is " + limits.maxInputs()
                    + " per request");
        }
    }

    private static Integer checkDimensions(BundleManifest manifest, Integer dimensions) {
        if (dimensions != null && (dimensions < 1 || dimensions > manifest.dimension())) {
            throw new InvalidInputException("dimensions must be between 1 and " + manifest.dimension()
                    + " for model '" + manifest.name() + "', got " + dimensions);
        }
        return dimensions;
    }

    private static EmbeddingResult result(BundleManifest manifest, List<float[]> vectors, Integer dimensions,
            PoolingSpec spec, Usage usage) {
        // A hidden layer may be narrower than the bundle's output (e.g. a CNN's earlier block).
        int width = vectors.get(0).length;
        // The id users know: the Hugging Face repo id when the model has one, else the bundle name.
        String id = manifest.repoId() != null ? manifest.repoId() : manifest.name();
        if (dimensions == null || dimensions >= width) {
            return new EmbeddingResult(id, width, vectors, usage);
        }
        List<float[]> cut = new ArrayList<>(vectors.size());
        for (float[] v : vectors) {
            float[] shorter = Vectors.truncate(v, dimensions);
            cut.add(spec.normalize() ? Vectors.l2Normalize(shorter) : shorter);
        }
        return new EmbeddingResult(id, dimensions, cut, usage);
    }

    /** The checks every text gets before it reaches the tokenizer (count, null, blank, length, valid Unicode). */
    void validateInputs(List<String> inputs) {
        if (inputs == null || inputs.isEmpty()) {
            throw new InvalidInputException("input must contain at least one text");
        }
        requireAtMostMaxInputs(inputs.size(), "inputs");
        for (int i = 0; i < inputs.size(); i++) {
            String text = inputs.get(i);
            if (text == null) {
                throw new InvalidInputException("input " + i + " is null; every input must be a string");
            }
            if (text.isBlank()) {
                throw new InvalidInputException("input " + i + " is empty; every input needs some text");
            }
            if (text.length() > limits.maxTextChars()) {
                throw new InputTooLargeException("input " + i + " has " + text.length() + " characters, the limit is "
                        + limits.maxTextChars());
            }
            int surrogate = unpairedSurrogate(text);
            if (surrogate >= 0) {
                // JSON may carry an escaped lone surrogate ("\\ud800"). The tokenizer works on UTF-8, where no such
                // character exists, and would silently drop it: the vector would belong to another text than the one sent.
                throw new InvalidInputException("input " + i + " is not valid Unicode: unpaired surrogate U+"
                        + Integer.toHexString(text.charAt(surrogate)).toUpperCase(java.util.Locale.ROOT)
                        + " at character " + surrogate);
            }
        }
    }

    /** Index of the first UTF-16 surrogate that is not half of a pair, or -1. */
    static int unpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    static PoolingSpec poolingSpec(BundleManifest manifest, PoolingOverrides overrides) {
        PoolingOverrides o = overrides == null ? PoolingOverrides.NONE : overrides;
        BundleManifest.Pooling defaults = manifest.pooling();
        PoolingMode mode;
        try {
            mode = PoolingMode.parse(o.mode() != null ? o.mode() : defaults.mode() != null ? defaults.mode() : "mean");
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
        List<Integer> layers = o.layers() != null ? o.layers() : defaults.layers() != null ? defaults.layers() : List.of();
        // Immutable lists throw on contains(null), so look for nulls by hand.
        if (layers.stream().anyMatch(java.util.Objects::isNull)) {
            throw new InvalidInputException("layers must be integers, e.g. [-1] or [-4, -3, -2, -1]");
        }
        boolean normalize = o.normalize() != null ? o.normalize()
                : defaults.normalize() == null || defaults.normalize();
        return new PoolingSpec(mode, layers, normalize, Boolean.TRUE.equals(o.includePrefixTokens()));
    }
}
