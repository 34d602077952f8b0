package dev.embedder.text;

import dev.embedder.error.InvalidInputException;
import java.util.Locale;

/**
 * Which end of an over-long text is cut (TEI's {@code truncation_direction}): {@code right} keeps the start, as
 * sentence-transformers does; {@code left} keeps the end. The special tokens ([CLS] ... [SEP]) stay either way.
 */
public enum TruncationDirection {
    RIGHT,
    LEFT;

    /** Null means right (TEI's default); case-insensitive, as TEI's {@code Left}/{@code Right} and lower case. */
    public static TruncationDirection parse(String value) {
        if (value == null) {
            return RIGHT;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "right" -> RIGHT;
            case "left" -> LEFT;
            default -> throw new InvalidInputException("truncation_direction must be 'left' or 'right', got '"
                    + value + "'");
        };
    }
}
