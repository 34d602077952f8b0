package dev.embedder.api.funqy;

import java.util.List;

/** Output of the {@code embeddings} function: one vector per input, in input order. */
public record EmbedFunctionResponse(String model, int dimension, List<float[]> embeddings, FunctionUsage usage) {

    /** Tokens embedded (special tokens included) and how many inputs were truncated. */
    public record FunctionUsage(int promptTokens, int totalTokens, int truncatedInputs) {}
}
