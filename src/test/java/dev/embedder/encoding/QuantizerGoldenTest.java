package dev.embedder.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.embedder.error.InvalidInputException;
import dev.embedder.pooling.Vectors;
import dev.embedder.testing.Golden;
import dev.embedder.testing.QuantizationGolden;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The quantizer on the very float vectors numpy quantized (the golden mean_normalized vectors), so every value must
 * be identical: the same float32 arithmetic, truncation and bit order as sentence-transformers' definition.
 */
class QuantizerGoldenTest {

    private final QuantizationGolden golden = QuantizationGolden.load();
    private final List<float[]> vectors = vectors();

    private List<float[]> vectors() {
        Golden minilm = Golden.load("all-minilm-l6-v2");
        List<float[]> out = new ArrayList<>();
        for (int i : golden.batch()) {
            out.add(minilm.sentences().get(i).mean_normalized());
        }
        return out;
    }

    private List<Object> encode(String type, List<List<Float>> ranges, List<float[]> input) {
        return OutputEncoding.parse(null, type, ranges, null).encode(input);
    }

    private static void assertRows(int[][] expected, List<Object> actual) {
        assertEquals(expected.length, actual.size());
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], (int[]) actual.get(i), "row " + i);
        }
    }

    @Test
    void int8AndUint8OverTheBatchRanges() {
        assertRows(golden.int8(), encode("int8", null, vectors));
        assertRows(golden.uint8(), encode("uint8", null, vectors));
    }

    @Test
    void int8AndUint8OverGivenCalibrationRanges() {
        assertRows(golden.int8_calibrated(), encode("int8", golden.calibrationRanges(), vectors));
        assertRows(golden.uint8_calibrated(), encode("uint8", golden.calibrationRanges(), vectors));
        // One vector is enough once ranges are given.
        assertRows(new int[][] {golden.int8_calibrated()[3]}, encode("int8", golden.calibrationRanges(), List.of(vectors.get(3))));
    }

    @Test
    void binaryAndUbinaryPackBitsMostSignificantFirst() {
        assertRows(golden.binary(), encode("binary", null, vectors));
        assertRows(golden.ubinary(), encode("ubinary", null, vectors));
    }

    @Test
    void packedWidthFollowsDimensions() {
        List<float[]> cut = vectors.stream()
                .map(v -> Vectors.l2Normalize(Vectors.truncate(v, golden.packed_dimensions()))).toList();
        List<Object> packed = encode("ubinary", null, cut);
        assertEquals(golden.packed_dimensions() / 8, ((int[]) packed.get(0)).length);
        assertRows(golden.ubinary_dimensions(), packed);
    }

    @Test
    void base64CarriesTheRawBytes() {
        List<Object> b64 = OutputEncoding.parse("base64", "int8", null, null).encode(vectors);
        byte[] bytes = Base64.getDecoder().decode((String) b64.get(0));
        int[] expected = golden.int8()[0];
        assertEquals(expected.length, bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            assertEquals(expected[i], bytes[i]);
        }
        byte[] packed = Base64.getDecoder().decode((String) OutputEncoding.parse("base64", "ubinary", null, null)
                .encode(vectors).get(1));
        for (int i = 0; i < packed.length; i++) {
            assertEquals(golden.ubinary()[1][i], packed[i] & 0xff);
        }
    }

    @Test
    void encodingFormatMayNameTheTypeAsMixedbreadsApiDoes() {
        assertRows(golden.uint8(), OutputEncoding.parse("uint8", null, null, null).encode(vectors));
        assertRows(golden.uint8(), OutputEncoding.parse("uint8", "uint8", null, null).encode(vectors));
    }

    @Test
    void badCombinationsAreRefused() {
        assertThrows(InvalidInputException.class, () -> encode("int8", null, List.of(vectors.get(0))));
        assertThrows(InvalidInputException.class, () -> OutputEncoding.parse(null, "binary", null, 100));
        assertThrows(InvalidInputException.class, () -> encode("binary", null, List.of(new float[12])));
        assertThrows(InvalidInputException.class, () -> OutputEncoding.parse("int8", "uint8", null, null));
        assertThrows(InvalidInputException.class, () -> OutputEncoding.parse(null, "float16", null, null));
        assertThrows(InvalidInputException.class, () -> OutputEncoding.parse(null, "binary", golden.calibrationRanges(), null));
        assertThrows(InvalidInputException.class, () -> encode("int8", List.of(List.of(0f), List.of(1f)), vectors));
        assertThrows(InvalidInputException.class, () -> encode("int8", List.of(List.of(1f), List.of(0f)),
                List.of(new float[1])));
    }

    @Test
    void emptyRangeGivesTheLowestValueAndOutOfRangeIsClamped() {
        float[][] ranges = {{0f, 0f}, {1f, 0f}};
        byte[][] q = Quantizer.quantize(List.of(new float[] {2f, 5f}, new float[] {-1f, 5f}), EmbeddingType.UINT8, ranges);
        assertEquals(255, q[0][0] & 0xff);
        assertEquals(0, q[1][0] & 0xff);
        assertEquals(0, q[0][1] & 0xff);
        assertEquals(-128, Quantizer.quantize(List.of(new float[] {2f, 5f}), EmbeddingType.INT8, ranges)[0][1]);
    }
}
