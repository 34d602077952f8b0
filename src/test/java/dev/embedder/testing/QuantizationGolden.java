package dev.embedder.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Quantized vectors computed by numpy (model-bundle/tools/golden-quantization/make_golden.py) from sentence-transformers'
 * definition, on the mean_normalized golden vectors of the sentences {@code batch}.
 */
public record QuantizationGolden(List<Integer> batch, List<String> texts, float[][] calibration_ranges, int[][] int8,
        int[][] uint8, int[][] int8_calibrated, int[][] uint8_calibrated, int[][] binary, int[][] ubinary,
        int packed_dimensions, int[][] ubinary_dimensions) {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false).build();

    public static QuantizationGolden load() {
        try (InputStream in = QuantizationGolden.class.getResourceAsStream("/golden/quantization.json")) {
            return MAPPER.readValue(in, QuantizationGolden.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<List<Float>> calibrationRanges() {
        return java.util.Arrays.stream(calibration_ranges)
                .map(row -> { List<Float> l = new java.util.ArrayList<>(); for (float f : row) l.add(f); return l; })
                .toList();
    }
}
