package dev.embedder.api.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** OpenAI's embeddings list. {@code embedding} is a float array, a base64 string of little-endian float32, or (with a quantized
 * {@code embedding_type}) an integer array or a base64 string of its bytes. */
public record OpenAiEmbeddingResponse(String object, List<Item> data, String model, OpenAiUsage usage) {

    public record Item(String object, int index, Object embedding) {}

    /** {@code truncated_inputs} is an extension: how many inputs were cut to the model's limit. */
    public record OpenAiUsage(
            @JsonProperty("prompt_tokens") int promptTokens,
            @JsonProperty("total_tokens") int totalTokens,
            @JsonProperty("truncated_inputs") int truncatedInputs) {}
}
