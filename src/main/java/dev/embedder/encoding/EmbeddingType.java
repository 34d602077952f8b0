package dev.embedder.encoding;

import dev.embedder.error.InvalidInputException;
import java.util.Locale;

/**
 * Output data type of a pooled embedding, named as sentence-transformers' {@code precision} (and Infinity's
 * {@code embedding_dtype}, Cohere's {@code embedding_types}, Voyage's {@code output_dtype}) name them.
 */
public enum EmbeddingType {
    /** The vector as computed. {@code float} is accepted as an alias (Cohere, OpenAI). */
    FLOAT32,
    /** Scalar quantization to -128..127 over calibration ranges. */
    INT8,
    /** Scalar quantization to 0..255 over calibration ranges. */
    UINT8,
    /** One bit per component ({@code > 0}), packed 8 per byte, most significant bit first, minus 128 as int8. */
    BINARY,
    /** The same packed bits as unsigned bytes 0..255. */
    UBINARY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean packed() {
        return this == BINARY || this == UBINARY;
    }

    public boolean signed() {
        return this == INT8 || this == BINARY;
    }

    /** The type a wire name denotes, or null if the name is none of them. */
    static EmbeddingType named(String name) {
        if (name == null) {
            return null;
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "float", "float32" -> FLOAT32;
            case "int8" -> INT8;
            case "uint8" -> UINT8;
            case "binary" -> BINARY;
            case "ubinary" -> UBINARY;
            default -> null;
        };
    }

    public static EmbeddingType parse(String field, String name) {
        EmbeddingType type = named(name);
        if (type == null) {
            throw new InvalidInputException(field + " must be one of float32, int8, uint8, binary, ubinary; got '"
                    + name + "'");
        }
        return type;
    }
}
