package dev.embedder.api.rest;

import dev.embedder.error.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Strict parsing of query-string options. JAX-RS converts {@code @QueryParam Integer} itself and answers a value
 * it cannot convert with 404 (the spec's rule), and {@code Boolean} goes through {@code Boolean.valueOf}, which
 * reads "yes" as false; both hide the caller's mistake. These read the raw strings and name the bad parameter.
 */
final class QueryParams {

    private QueryParams() {}

    static Integer integer(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("query parameter '" + name + "' must be an integer, got '" + value + "'");
        }
    }

    static Boolean bool(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new InvalidInputException("query parameter '" + name + "' must be true or false, got '"
                    + value + "'");
        };
    }

    /** Repeated ({@code layers=-2&layers=-1}) or comma-separated ({@code layers=-2,-1}). */
    static List<Integer> integers(String name, List<String> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        List<Integer> out = new ArrayList<>();
        for (String value : values) {
            for (String part : value.split(",", -1)) {
                Integer parsed = integer(name, part);
                if (parsed == null) {
                    throw new InvalidInputException("query parameter '" + name + "' has an empty entry");
                }
                out.add(parsed);
            }
        }
        return out;
    }
}
