package dev.embedder.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.embedder.error.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the "a string or an array of strings" field that the OpenAI and TEI APIs share, naming the
 * offending element when the JSON has another shape.
 */
final class InputParser {

    private InputParser() {}

    static List<String> texts(JsonNode node, String field) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw new InvalidInputException("'" + field + "' is required: a string or an array of strings");
        }
        if (node.isTextual()) {
            return List.of(node.textValue());
        }
        if (!node.isArray()) {
            throw new InvalidInputException("'" + field + "' must be a string or an array of strings, got "
                    + node.getNodeType().toString().toLowerCase());
        }
        List<String> texts = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (item.isNumber() || (item.isArray() && item.size() > 0 && item.get(0).isNumber())) {
                throw new InvalidInputException("'" + field + "[" + i + "]' is a token id or id array; this server"
                        + " embeds text, send the string instead");
            }
            if (!item.isTextual()) {
                throw new InvalidInputException("'" + field + "[" + i + "]' must be a string, got "
                        + item.getNodeType().toString().toLowerCase());
            }
            texts.add(item.textValue());
        }
        return texts;
    }
}
