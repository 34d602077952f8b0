package dev.embedder.api.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Body of TEI's {@code POST /similarity}: {@code inputs.source_sentence} is compared with each of
 * {@code inputs.sentences}; {@code parameters} as TEI has them. {@code model} is an Embedder extension.
 */
public record TeiSimilarityRequest(Inputs inputs, Parameters parameters, String model) {

    public record Inputs(@JsonProperty("source_sentence") String sourceSentence, List<String> sentences) {}

    public record Parameters(
            Boolean truncate,
            @JsonProperty("truncation_direction") String truncationDirection,
            @JsonProperty("prompt_name") String promptName) {}
}
