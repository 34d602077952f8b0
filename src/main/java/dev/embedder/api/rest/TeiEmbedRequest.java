package dev.embedder.api.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Body of TEI's {@code POST /embed} (and {@code POST /}, {@code /embed_all}). TEI defaults: normalize=true,
 * truncate=false, truncation_direction=right. {@code model}, {@code layers}, {@code pooling}, the output data type
 * ({@code embedding_type}, {@code encoding_format}, {@code ranges}) are Embedder extensions.
 */
public record TeiEmbedRequest(
        JsonNode inputs,
        Boolean normalize,
        Boolean truncate,
        @JsonProperty("truncation_direction") String truncationDirection,
        @JsonProperty("prompt_name") String promptName,
        Integer dimensions,
        String model,
        List<Integer> layers,
        String pooling,
        @JsonProperty("include_class_token") Boolean includeClassToken,
        @JsonProperty("embedding_type") String embeddingType,
        @JsonProperty("encoding_format") String encodingFormat,
        List<List<Float>> ranges,
        String prompt) {}
