package dev.embedder.api.funqy;

import java.util.List;

/**
 * Output of the {@code embeddings} function: one entry per input, in input order: a float array, an integer array
 * or a base64 string (see the request's {@code embeddingType}/{@code encodingFormat}), or with
 * {@code tokenEmbeddings} a {@code [tokens][dimension]} float array.
 */
public record EmbedFunctionResponse(String model, int dimension, List<?> embeddings, FunctionUsage usage) {

    /** Tokens embedded (special tokens included) and how many inputs were truncated. */
    public record FunctionUsage(int promptTokens, int totalTokens, int truncatedInputs) {}
}
