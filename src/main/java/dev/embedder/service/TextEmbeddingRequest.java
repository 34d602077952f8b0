package dev.embedder.service;

import dev.embedder.text.TruncationDirection;
import java.util.List;

/**
 * A text embedding request as every adapter (Funqy, OpenAI, TEI) hands it to the service.
 *
 * @param model      bundle name or repo id, or null for the default text model
 * @param inputs     the texts; validated by the service, so adapters stay thin
 * @param truncate   cut over-long texts to the model's limit instead of refusing them
 * @param dimensions keep only the first n components and renormalise (Matryoshka-style), or null
 * @param truncationDirection which end of an over-long text is cut; null means right
 * @param promptName one of the model's prompts (sentence-transformers {@code prompt_name}), or null
 * @param prompt     a prompt text to prepend instead, or null; with neither, the model's default prompt applies
 */
public record TextEmbeddingRequest(String model, List<String> inputs, PoolingOverrides pooling, boolean truncate,
        Integer dimensions, TruncationDirection truncationDirection, String promptName, String prompt) {

    public TextEmbeddingRequest(String model, List<String> inputs, PoolingOverrides pooling, boolean truncate,
            Integer dimensions, TruncationDirection truncationDirection) {
        this(model, inputs, pooling, truncate, dimensions, truncationDirection, null, null);
    }

    public TextEmbeddingRequest {
        truncationDirection = truncationDirection == null ? TruncationDirection.RIGHT : truncationDirection;
    }

    public TextEmbeddingRequest(String model, List<String> inputs, PoolingOverrides pooling, boolean truncate,
            Integer dimensions) {
        this(model, inputs, pooling, truncate, dimensions, TruncationDirection.RIGHT);
    }
}
