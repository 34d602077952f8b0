package dev.embedder.api.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Body of {@code POST /v1/embeddings}, OpenAI's shape. {@code layers}, {@code pooling},
 * {@code normalize}, {@code truncate}, {@code include_class_token}, {@code embedding_type}, {@code ranges}, {@code prompt_name} and
 * {@code prompt} (the model's sentence-transformers prompts, or a prompt text) are Embedder extensions; OpenAI clients never send them. {@code user} is accepted and ignored, as TEI does.
 */
public record OpenAiEmbeddingRequest(
        JsonNode input,
        String model,
        @JsonProperty("encoding_format") String encodingFormat,
        Integer dimensions,
        String user,
        List<Integer> layers,
        String pooling,
        Boolean normalize,
        Boolean truncate,
        @JsonProperty("include_class_token") Boolean includeClassToken,
        @JsonProperty("embedding_type") String embeddingType,
        List<List<Float>> ranges,
        @JsonProperty("prompt_name") String promptName,
        String prompt) {}
