package dev.embedder.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Per-token hidden states and a left-truncated text, from model-bundle/tools/golden-text
 * ({@code make-golden.mjs --token-embeddings}: transformers.js tokenizer + onnxruntime-node on the graph edited by
 * expose_hidden_states.py).
 */
public record TokenGolden(String model, int maxTokens, List<Sentence> sentences, LeftTruncated left_truncated) {

    public record Sentence(String text, long[] input_ids, float[][] last, float[][] layer_minus2, float[][] layer_0) {}

    public record LeftTruncated(String text, int full_length, long[] input_ids, float[] mean_normalized) {}

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false).build();

    public static TokenGolden load() {
        try (InputStream in = TokenGolden.class.getResourceAsStream("/golden/token-embeddings.json")) {
            return MAPPER.readValue(in, TokenGolden.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
