package dev.embedder.bundle;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The model facts of one bundle, read from its {@code bundle.json}. Nothing about a model is written in
 * code: a new model is a new manifest.
 *
 * @param name         the model id clients send (OpenAI {@code model})
 * @param modality     text or image
 * @param dimension    width of the pooled vector
 * @param maxTokens    longest token sequence the model accepts (text only)
 * @param files        role → file name inside the bundle: {@code model}, {@code tokenizer}, {@code preprocessor}
 * @param input        image input name (text inputs are read from the session)
 * @param hiddenStates graph tensor names of the hidden states, Hugging Face order: index 0 is the
 *                     embedding output, the last is the final layer. Tensors that are not graph outputs
 *                     are exposed when the session is built.
 * @param pooling      defaults a request may override
 * @param license      SPDX id of the weights' licence
 * @param provenance   where the weights come from and how they were obtained
 * @param repoId       the Hugging Face repo id users know the model by (e.g. {@code BAAI/bge-small-en-v1.5}),
 *                     or null; requests may name the model by it
 * @param prompts      prompt name → text prepended to every input that asks for it (sentence-transformers'
 *                     {@code prompts}); empty when the model has none
 * @param defaultPromptName the prompt applied when a request names none, or null
 * @param dense        projections applied in order after pooling (sentence-transformers {@code Dense} modules)
 * @param paddingSide  {@code right} (default) or {@code left}, where a text batch puts its padding
 */
public record BundleManifest(
        String name,
        Modality modality,
        int dimension,
        Integer maxTokens,
        Map<String, String> files,
        String input,
        List<String> hiddenStates,
        Pooling pooling,
        String license,
        String provenance,
        String description,
        String repoId,
        Map<String, String> prompts,
        String defaultPromptName,
        List<Dense> dense,
        String paddingSide) {

    /** The manifest of a bundle folder written before models could come from their own files. */
    public BundleManifest(String name, Modality modality, int dimension, Integer maxTokens, Map<String, String> files,
            String input, List<String> hiddenStates, Pooling pooling, String license, String provenance,
            String description) {
        this(name, modality, dimension, maxTokens, files, input, hiddenStates, pooling, license, provenance,
                description, null, null, null, null, null);
    }

    /**
     * A linear projection after pooling, y = activation(W x + b), its weights {@code linear.weight} [out, in]
     * and {@code linear.bias} in {@code <path>/model.safetensors} (sentence-transformers' {@code Dense}).
     * {@code activation} is {@code identity} or {@code tanh}.
     */
    public record Dense(String path, int inFeatures, int outFeatures, boolean bias, String activation) {
        public Dense {
            require(inFeatures > 0 && outFeatures > 0, "dense " + path + ": in and out features must be positive");
            require(activation == null || activation.equals("identity") || activation.equals("tanh"),
                    "dense " + path + ": activation must be identity or tanh, got " + activation);
        }
    }

    /**
     * Bundle defaults for pooling. {@code output} names the tensor pooled when no layers are given;
     * {@code layout} says how image hidden states are laid out: {@code tokens} ([N, tokens, dim], ViT-style)
     * or {@code nchw} ([N, C, H, W], CNN feature maps); {@code prefixTokens} counts the non-patch tokens
     * (class token, registers) at the start of a token sequence.
     */
    public record Pooling(String mode, List<Integer> layers, Boolean normalize, String output, String layout,
            Integer prefixTokens) {}

    public BundleManifest {
        require(name != null && name.matches("[A-Za-z0-9._-]+"), "name must be set and use only [A-Za-z0-9._-]");
        require(modality != null, "modality must be text or image");
        require(dimension > 0, "dimension must be positive");
        files = Map.copyOf(Objects.requireNonNullElse(files, Map.of()));
        require(files.containsKey("model"), "files.model is required");
        hiddenStates = List.copyOf(Objects.requireNonNullElse(hiddenStates, List.of()));
        pooling = Objects.requireNonNullElse(pooling, new Pooling(null, null, null, null, null, null));
        if (modality == Modality.TEXT) {
            require(files.containsKey("tokenizer"), "files.tokenizer is required for a text bundle");
            require(maxTokens != null && maxTokens > 2, "maxTokens is required for a text bundle");
        } else {
            require(files.containsKey("preprocessor"), "files.preprocessor is required for an image bundle");
            require(input != null, "input (the pixel tensor's name) is required for an image bundle");
            require(pooling.layout() == null || pooling.layout().equals("tokens") || pooling.layout().equals("nchw"),
                    "pooling.layout must be 'tokens' or 'nchw'");
        }
        if (pooling.mode() != null) {
            PoolingMode.parse(pooling.mode());
        }
        prompts = Map.copyOf(Objects.requireNonNullElse(prompts, Map.of()));
        require(defaultPromptName == null || prompts.containsKey(defaultPromptName),
                "defaultPromptName '" + defaultPromptName + "' is not among the prompts " + prompts.keySet());
        dense = List.copyOf(Objects.requireNonNullElse(dense, List.of()));
        paddingSide = paddingSide == null ? "right" : paddingSide;
        require(paddingSide.equals("right") || paddingSide.equals("left"), "paddingSide must be right or left");
        require(repoId == null || repoId.matches("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9._-]+"),
                "repoId must look like org/name, got " + repoId);
    }

    public String file(String role) {
        return files.get(role);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("invalid bundle manifest: " + message);
        }
    }
}
