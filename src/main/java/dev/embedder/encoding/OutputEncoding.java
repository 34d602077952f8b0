package dev.embedder.encoding;

import dev.embedder.error.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * How a request wants its vectors written: the data type ({@link EmbeddingType}) and whether as JSON numbers or
 * base64. base64 holds the raw values: little-endian float32 (OpenAI's format), or one byte per value for the
 * quantized types. Parsed once from the wire fields every route shares.
 *
 * @param ranges int8/uint8 calibration ranges ([min...], [max...]), or null for the per-request minimum and maximum
 */
public record OutputEncoding(EmbeddingType type, boolean base64, float[][] ranges) {

    public static final OutputEncoding FLOAT = new OutputEncoding(EmbeddingType.FLOAT32, false, null);

    /**
     * @param encodingFormat OpenAI's {@code encoding_format}: {@code float} or {@code base64}; a data type name
     *                       ({@code int8}...) is accepted too, as Mixedbread's API does
     * @param embeddingType  Infinity's / sentence-transformers' data type name
     * @param dimensions     the requested width, checked here for the packed types before any work is done
     */
    public static OutputEncoding parse(String encodingFormat, String embeddingType, List<List<Float>> ranges,
            Integer dimensions) {
        boolean base64 = false;
        EmbeddingType type = embeddingType == null ? null : EmbeddingType.parse("embedding_type", embeddingType);
        if (encodingFormat != null && !encodingFormat.equals("float")) {
            if (encodingFormat.equals("base64")) {
                base64 = true;
            } else {
                EmbeddingType fromFormat = EmbeddingType.named(encodingFormat);
                if (fromFormat == null) {
                    throw new InvalidInputException("encoding_format must be 'float', 'base64' or a data type (int8,"
                            + " uint8, binary, ubinary), got '" + encodingFormat + "'");
                }
                if (type != null && type != fromFormat) {
                    throw new InvalidInputException("encoding_format '" + encodingFormat + "' and embedding_type '"
                            + embeddingType + "' disagree; send one of them");
                }
                type = fromFormat;
            }
        }
        if (type == null) {
            type = EmbeddingType.FLOAT32;
        }
        if (type.packed() && dimensions != null && dimensions % 8 != 0) {
            throw new InvalidInputException(type.wireName() + " packs 8 components per byte: dimensions must be a"
                    + " multiple of 8, got " + dimensions);
        }
        float[][] calibration = null;
        if (ranges != null) {
            if (type != EmbeddingType.INT8 && type != EmbeddingType.UINT8) {
                throw new InvalidInputException("ranges apply to int8 and uint8 only, not " + type.wireName());
            }
            calibration = toRanges(ranges);
        }
        return new OutputEncoding(type, base64, calibration);
    }

    /** True for the default: float numbers, nothing to convert. */
    public boolean plainFloat() {
        return type == EmbeddingType.FLOAT32 && !base64;
    }

    /**
     * The vectors as the response carries them: {@code float[]}, {@code int[]} or a base64 {@code String} each.
     * int8/uint8 without given ranges calibrate over these vectors, so they need at least two.
     */
    public List<Object> encode(List<float[]> vectors) {
        List<Object> out = new ArrayList<>(vectors.size());
        if (type == EmbeddingType.FLOAT32) {
            for (float[] v : vectors) {
                out.add(base64 ? floatsToBase64(v) : v);
            }
            return out;
        }
        if ((type == EmbeddingType.INT8 || type == EmbeddingType.UINT8) && ranges == null && vectors.size() < 2) {
            throw new InvalidInputException(type.wireName() + " quantizes each component over a calibration range:"
                    + " send 'ranges' ([min...], [max...]) or at least two inputs, whose per-component minimum and"
                    + " maximum are then used (sentence-transformers' behaviour without calibration data)");
        }
        for (byte[] bytes : Quantizer.quantize(vectors, type, ranges)) {
            if (base64) {
                out.add(Base64.getEncoder().encodeToString(bytes));
            } else {
                int[] values = new int[bytes.length];
                for (int i = 0; i < bytes.length; i++) {
                    values[i] = type.signed() ? bytes[i] : bytes[i] & 0xff;
                }
                out.add(values);
            }
        }
        return out;
    }

    public static String floatsToBase64(float[] v) {
        ByteBuffer bytes = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(v);
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    private static float[][] toRanges(List<List<Float>> ranges) {
        if (ranges.size() != 2 || ranges.get(0) == null || ranges.get(1) == null
                || ranges.get(0).size() != ranges.get(1).size()) {
            throw new InvalidInputException("ranges must be two arrays of equal length: [[min...], [max...]]");
        }
        float[][] out = new float[2][ranges.get(0).size()];
        for (int r = 0; r < 2; r++) {
            for (int d = 0; d < out[r].length; d++) {
                Float value = ranges.get(r).get(d);
                if (value == null || !Float.isFinite(value)) {
                    throw new InvalidInputException("ranges[" + r + "][" + d + "] must be a finite number");
                }
                out[r][d] = value;
            }
        }
        for (int d = 0; d < out[0].length; d++) {
            if (out[1][d] < out[0][d]) {
                throw new InvalidInputException("ranges: max < min at component " + d);
            }
        }
        return out;
    }
}
