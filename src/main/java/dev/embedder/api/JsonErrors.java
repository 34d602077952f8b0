package dev.embedder.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.stream.Collectors;

/**
 * Words for a body that Jackson could not read: the field and the type it needed when the JSON is well formed
 * but shaped wrong, or the parser's own complaint when it is not JSON at all. Shared by the REST mappers and the
 * Funqy routes, so both name the problem the same way.
 */
public final class JsonErrors {

    /** The error type every such failure reports. */
    public static final String TYPE = "invalid_json";

    private JsonErrors() {}

    public static String describe(JsonProcessingException e) {
        if (e instanceof MismatchedInputException mismatch && mismatch.getPath().isEmpty()) {
            return "request body must be a JSON object";
        }
        if (e instanceof MismatchedInputException mismatch) {
            String field = mismatch.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            String expected = mismatch.getTargetType() == null ? "another type" : mismatch.getTargetType().getSimpleName();
            return "field '" + field + "' has the wrong type, expected " + expectedWords(expected)
                    + (e instanceof InvalidFormatException f ? ", got " + f.getValue() : "");
        }
        return "request body is not valid JSON: " + e.getOriginalMessage();
    }

    private static String expectedWords(String javaType) {
        return switch (javaType) {
            case "Integer", "int" -> "an integer";
            case "Long", "long" -> "an integer";
            case "Boolean", "boolean" -> "true or false";
            case "String" -> "a string";
            case "List", "ArrayList" -> "an array";
            default -> javaType;
        };
    }
}
