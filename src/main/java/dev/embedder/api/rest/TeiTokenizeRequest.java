package dev.embedder.api.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** Body of TEI's {@code POST /tokenize}. */
public record TeiTokenizeRequest(JsonNode inputs, @JsonProperty("add_special_tokens") Boolean addSpecialTokens,
        String model) {}
