package dev.embedder.api.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Body of TEI's {@code POST /embed}. TEI defaults: normalize=true, truncate=false. {@code model},
 * {@code layers} and {@code pooling} are Embedder extensions.
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
        String prompt) {}
