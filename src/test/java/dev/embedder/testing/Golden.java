package dev.embedder.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Golden vectors computed outside this code base, by model-bundle/tools/golden-text (transformers.js
 * tokenizer + onnxruntime-node + pooling in plain JavaScript).
 */
public record Golden(String model, int maxTokens, int hiddenStateCount, java.util.Map<String, String> prompts,
        List<Sentence> sentences) {

    public record Sentence(
            String text,
            long[] input_ids,
            boolean truncated,
            float[] mean,
            float[] mean_normalized,
            float[] cls,
            float[] cls_normalized,
            float[] mean_layer_minus2,
            float[] mean_layers_last4,
            float[] mean_layer_0,
            long[] query_input_ids,
            float[] query_mean_normalized,
            float[] query_mean_layer_minus2,
            float[] passage_mean_normalized) {}

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false).build();

    public static Golden load(String model) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + model + ".json")) {
            return MAPPER.readValue(in, Golden.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> texts() {
        return sentences.stream().map(Sentence::text).toList();
    }

    public static double maxAbsDiff(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new AssertionError("length " + actual.length + " != expected " + expected.length);
        }
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
        }
        return max;
    }
}
