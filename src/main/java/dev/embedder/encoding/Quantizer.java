package dev.embedder.encoding;

import dev.embedder.error.InvalidInputException;
import java.util.List;

/**
 * sentence-transformers' {@code quantize_embeddings}, in Java float arithmetic so the results are the same numbers:
 * <ul>
 * <li>{@code uint8}: per component {@code (x - min) / ((max - min) / 255)}, truncated toward zero; {@code int8} the
 * same minus 128. {@code min}/{@code max} are the calibration ranges: given ones, or else the per-component
 * minimum and maximum over the vectors being quantized (what sentence-transformers does without calibration data).
 * A component whose range is empty (min == max, sentence-transformers divides 0 by 0) gives the lowest value,
 * and values outside given ranges are clamped (where numpy's cast would wrap).</li>
 * <li>{@code ubinary}: bit = {@code x > 0}, eight components per byte, the first in the most significant bit
 * ({@code numpy.packbits}); {@code binary} is that byte minus 128, as int8.</li>
 * </ul>
 * Pure functions over arrays: no request, no model.
 */
public final class Quantizer {

    private Quantizer() {}

    /** Each vector's bytes: int8/binary as two's complement, uint8/ubinary as unsigned values. */
    public static byte[][] quantize(List<float[]> vectors, EmbeddingType type, float[][] ranges) {
        return switch (type) {
            case FLOAT32 -> throw new IllegalArgumentException("float32 is not quantized");
            case INT8, UINT8 -> scalar(vectors, type == EmbeddingType.INT8, ranges);
            case BINARY, UBINARY -> packBits(vectors, type == EmbeddingType.BINARY);
        };
    }

    /** Per-component [min, max] over the vectors, as sentence-transformers computes them without calibration data. */
    public static float[][] ranges(List<float[]> vectors) {
        int width = vectors.get(0).length;
        float[] min = vectors.get(0).clone();
        float[] max = vectors.get(0).clone();
        for (float[] v : vectors) {
            for (int d = 0; d < width; d++) {
                min[d] = Math.min(min[d], v[d]);
                max[d] = Math.max(max[d], v[d]);
            }
        }
        return new float[][] {min, max};
    }

    private static byte[][] scalar(List<float[]> vectors, boolean signed, float[][] given) {
        int width = vectors.get(0).length;
        float[][] ranges = given != null ? given : ranges(vectors);
        if (ranges.length != 2 || ranges[0].length != width || ranges[1].length != width) {
            throw new InvalidInputException("ranges must be two arrays ([min...], [max...]) of " + width
                    + " numbers each, one per component of the output");
        }
        float[] starts = ranges[0];
        float[] steps = new float[width];
        for (int d = 0; d < width; d++) {
            steps[d] = (ranges[1][d] - starts[d]) / 255f;
        }
        byte[][] out = new byte[vectors.size()][width];
        for (int i = 0; i < vectors.size(); i++) {
            float[] v = vectors.get(i);
            for (int d = 0; d < width; d++) {
                float scaled = steps[d] > 0 ? (v[d] - starts[d]) / steps[d] : 0f;
                if (signed) {
                    scaled -= 128f;
                }
                int q = Float.isNaN(scaled) ? 0 : (int) scaled; // (int) truncates toward zero, as numpy's astype
                out[i][d] = (byte) (signed ? clamp(q, -128, 127) : clamp(q, 0, 255));
            }
        }
        return out;
    }

    private static byte[][] packBits(List<float[]> vectors, boolean signed) {
        int width = vectors.get(0).length;
        if (width % 8 != 0) {
            throw new InvalidInputException("binary and ubinary pack 8 components per byte, so the output width must"
                    + " be a multiple of 8; it is " + width + " (choose dimensions accordingly)");
        }
        byte[][] out = new byte[vectors.size()][width / 8];
        for (int i = 0; i < vectors.size(); i++) {
            float[] v = vectors.get(i);
            for (int b = 0; b < width / 8; b++) {
                int bits = 0;
                for (int k = 0; k < 8; k++) {
                    bits = (bits << 1) | (v[b * 8 + k] > 0 ? 1 : 0);
                }
                out[i][b] = (byte) (signed ? bits - 128 : bits);
            }
        }
        return out;
    }

    private static int clamp(int value, int low, int high) {
        return Math.max(low, Math.min(high, value));
    }
}
