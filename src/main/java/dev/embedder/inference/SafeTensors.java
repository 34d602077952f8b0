package dev.embedder.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads tensors from a safetensors file (the format sentence-transformers saves {@code Dense} weights in):
 * an 8-byte little-endian header length N, N bytes of JSON mapping each tensor name to its {@code dtype},
 * {@code shape} and {@code data_offsets} [begin, end) relative to the byte after the header, then the raw
 * little-endian tensor bytes. {@code F32}, {@code F16}, {@code BF16} and {@code F64} are read as floats.
 */
public final class SafeTensors {

    /** One tensor, widened to float. */
    public record Tensor(long[] shape, float[] data) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteBuffer bytes;
    private final JsonNode header;
    private final int dataStart;

    public SafeTensors(byte[] file) {
        this.bytes = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (file.length < 8) {
            throw new IllegalArgumentException("not a safetensors file: " + file.length + " bytes");
        }
        long headerLength = bytes.getLong(0);
        if (headerLength <= 0 || headerLength > file.length - 8L) {
            throw new IllegalArgumentException("not a safetensors file: header length " + headerLength
                    + " in a " + file.length + "-byte file");
        }
        this.dataStart = 8 + (int) headerLength;
        try {
            this.header = JSON.readTree(new String(file, 8, (int) headerLength, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a safetensors file: header is not JSON: " + e.getMessage(), e);
        }
        if (!header.isObject()) {
            throw new IllegalArgumentException("not a safetensors file: header is not a JSON object");
        }
    }

    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = header.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!name.equals("__metadata__")) {
                names.add(name);
            }
        }
        return names;
    }

    public boolean contains(String name) {
        return header.has(name) && !name.equals("__metadata__");
    }

    public Tensor get(String name) {
        JsonNode entry = header.get(name);
        if (entry == null || name.equals("__metadata__")) {
            throw new IllegalArgumentException("no tensor '" + name + "' in the safetensors file; it has " + names());
        }
        String dtype = entry.path("dtype").asText();
        long[] shape = new long[entry.path("shape").size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = entry.path("shape").get(i).asLong();
            count *= shape[i];
        }
        long begin = entry.path("data_offsets").path(0).asLong(-1);
        long end = entry.path("data_offsets").path(1).asLong(-1);
        int width = switch (dtype) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            case "F64" -> 8;
            default -> throw new IllegalArgumentException("tensor '" + name + "' has dtype " + dtype
                    + "; only F32, F16, BF16 and F64 are read");
        };
        if (begin < 0 || end < begin || dataStart + end > bytes.capacity() || end - begin != count * width) {
            throw new IllegalArgumentException("tensor '" + name + "': data_offsets [" + begin + ", " + end
                    + ") do not hold " + count + " " + dtype + " values in a file of " + bytes.capacity() + " bytes");
        }
        float[] data = new float[(int) count];
        int at = dataStart + (int) begin;
        for (int i = 0; i < data.length; i++, at += width) {
            data[i] = switch (dtype) {
                case "F32" -> bytes.getFloat(at);
                case "F64" -> (float) bytes.getDouble(at);
                case "F16" -> halfToFloat(bytes.getShort(at));
                default -> Float.intBitsToFloat((bytes.getShort(at) & 0xFFFF) << 16);
            };
        }
        return new Tensor(shape, data);
    }

    /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h >>> 15) << 31;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float value = mantissa / 1024f / 16384f; // subnormal: mantissa x 2^-24
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** Names and shapes, for error messages. */
    public Map<String, String> describe() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String n : names()) {
            out.put(n, header.get(n).path("dtype").asText() + header.get(n).path("shape"));
        }
        return out;
    }
}
