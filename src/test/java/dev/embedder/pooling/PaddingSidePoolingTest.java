package dev.embedder.pooling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embedder.inference.OnnxSession;
import dev.embedder.inference.SessionSettings;
import dev.embedder.inference.Tensor;
import dev.embedder.testing.Bundles;
import dev.embedder.text.TokenBatch;
import dev.embedder.text.TokenizedText;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Max and last-token pooling on real tensors against an independent computation: all-MiniLM-L6-v2 run on
 * three sentences of different lengths in one batch, padded on the right and on the left, pooled in JS by the
 * golden tool (golden/padding-all-minilm-l6-v2.json) and here by {@link Pooler} through the attention mask.
 */
class PaddingSidePoolingTest {

    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"right", "left"})
    void maxAndLastTokenMatchTheIndependentPooling(String side) throws Exception {
        JsonNode golden;
        try (InputStream in = getClass().getResourceAsStream("/golden/padding-all-minilm-l6-v2.json")) {
            golden = new ObjectMapper().readTree(in);
        }
        List<TokenizedText> texts = new ArrayList<>();
        for (JsonNode ids : golden.path("input_ids")) {
            long[] a = new long[ids.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = ids.get(i).asLong();
            }
            texts.add(new TokenizedText(a, new long[a.length], false));
        }
        TokenBatch batch = TokenBatch.pad(texts, side.equals("left"));
        JsonNode expected = golden.path(side);
        long[] goldenMask = new long[expected.path("attention_mask").size()];
        for (int i = 0; i < goldenMask.length; i++) {
            goldenMask[i] = expected.path("attention_mask").get(i).asLong();
        }
        assertArrayEquals(goldenMask, batch.attentionMask(), "the same padded layout as the golden run");

        var bundle = Bundles.load("all-minilm-l6-v2");
        try (OnnxSession session = new OnnxSession(bundle.stageModel(), List.of(), new SessionSettings(1, 1, "all"))) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put("input_ids", session.longTensor(batch.inputIds(), batch.shape()));
            inputs.put("attention_mask", session.longTensor(batch.attentionMask(), batch.shape()));
            inputs.put("token_type_ids", session.longTensor(batch.tokenTypeIds(), batch.shape()));
            Tensor hidden = session.run(inputs, Set.of("last_hidden_state")).get("last_hidden_state");
            compare(expected.path("max"), Pooler.maskedMax(hidden, batch.attentionMask()), side + " max");
            compare(expected.path("last_token"), Pooler.lastToken(hidden, batch.attentionMask()), side + " last token");
            compare(expected.path("mean"), Pooler.maskedMean(hidden, batch.attentionMask()), side + " mean");
        }
    }

    private static void compare(JsonNode expected, float[][] actual, String what) {
        assertEquals(expected.size(), actual.length, what);
        double worst = 0;
        for (int b = 0; b < actual.length; b++) {
            for (int d = 0; d < actual[b].length; d++) {
                worst = Math.max(worst, Math.abs(expected.get(b).get(d).asDouble() - actual[b][d]));
            }
        }
        System.out.printf("%s: max abs diff %.2e%n", what, worst);
        assertTrue(worst <= TOLERANCE, what + ": max abs diff " + worst);
    }
}
