package dev.embedder.api.rest;

import static dev.embedder.testing.Http.http;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.testing.Golden;
import dev.embedder.testing.QuantizationGolden;
import dev.embedder.testing.TokenGolden;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One test per client-compatibility option: TEI's root route, embed_all, output data types, truncation direction,
 * similarity, OpenAI's user field. Expected values come from the independent goldens (golden-text, golden-quantization).
 */
@QuarkusTest
class TeiCompatibilityTest {

    private static final double TOLERANCE = 1e-4;

    private final Golden golden = Golden.load("all-minilm-l6-v2");
    private final QuantizationGolden quantized = QuantizationGolden.load();
    private final TokenGolden tokens = TokenGolden.load();

    @Test
    void rootRouteWithoutCloudEventHeadersIsTeiEmbed() {
        JsonPath body = http().body(Map.of("inputs", List.of(golden.texts().get(0), golden.texts().get(3))))
                .post("/").then().statusCode(200).header("x-prompt-tokens", String.valueOf(
                        golden.sentences().get(0).input_ids().length + golden.sentences().get(3).input_ids().length))
                .body("$", hasSize(2)).extract().jsonPath();
        OpenAiEmbeddingsResourceTest.assertClose(golden.sentences().get(3).mean_normalized(), body.getList("[1]", Float.class));
        // The same root still takes CloudEvents, binary and structured.
        http().header("ce-specversion", "1.0").header("ce-id", "1").header("ce-type", "embeddings")
                .header("ce-source", "test").body(Map.of("inputs", List.of("x"))).post("/").then().statusCode(200)
                .header("ce-type", "embeddings.output").body("embeddings", hasSize(1));
        http().contentType("application/cloudevents+json").body(Map.of("specversion", "1.0", "id", "2", "source", "t",
                "type", "embeddings", "data", Map.of("inputs", List.of("x")))).post("/").then().statusCode(200)
                .body("type", equalTo("embeddings.output"));
    }

    @Test
    void embedAllReturnsEveryTokenOfTheChosenLayer() {
        for (TokenGolden.Sentence s : tokens.sentences()) {
            for (Object[] layer : new Object[][] {{null, s.last()}, {List.of(-2), s.layer_minus2()}, {List.of(0), s.layer_0()}}) {
                Map<String, Object> request = layer[0] == null ? Map.of("inputs", List.of(s.text()))
                        : Map.of("inputs", List.of(s.text()), "layers", layer[0]);
                JsonPath body = http().body(request).post("/embed_all").then().statusCode(200)
                        .header("x-prompt-tokens", String.valueOf(s.input_ids().length)).extract().jsonPath();
                float[][] expected = (float[][]) layer[1];
                assertEquals(1, body.getList("$").size());
                assertEquals(expected.length, body.getList("[0]").size(), "tokens of " + s.text());
                for (int t = 0; t < expected.length; t++) {
                    assertClose(expected[t], body.getList("[0][" + t + "]", Float.class), "token " + t + " layers " + layer[0]);
                }
            }
        }
    }

    @Test
    void embedAllRemovesPaddingInABatchOfDifferentLengths() {
        TokenGolden.Sentence shortOne = tokens.sentences().get(0);
        TokenGolden.Sentence longOne = tokens.sentences().get(1);
        JsonPath body = http().body(Map.of("inputs", List.of(longOne.text(), shortOne.text())))
                .post("/embed_all").then().statusCode(200).extract().jsonPath();
        assertEquals(longOne.input_ids().length, body.getList("[0]").size());
        assertEquals(shortOne.input_ids().length, body.getList("[1]").size());
        int last = shortOne.input_ids().length - 1;
        assertClose(shortOne.last()[last], body.getList("[1][" + last + "]", Float.class), "last token of the short text");
    }

    @Test
    void embedAllIsBoundedByTheTokenLimit() {
        String longText = golden.sentences().stream().filter(Golden.Sentence::truncated).findFirst().orElseThrow().text();
        // 17 texts cut to 256 tokens = 4352 token vectors, over the default 4096.
        http().body(Map.of("inputs", java.util.Collections.nCopies(17, longText), "truncate", true))
                .post("/embed_all").then().statusCode(413).body("type", equalTo("input_too_large"))
                .body("error", containsString("max-token-embeddings"));
        http().body(Map.of("inputs", longText)).post("/embed_all").then().statusCode(413)
                .body("error", containsString("256-token limit"));
    }

    @Test
    void functionReturnsTokenEmbeddingsOnRequest() {
        TokenGolden.Sentence s = tokens.sentences().get(0);
        JsonPath body = http().body(Map.of("inputs", List.of(s.text()), "tokenEmbeddings", true, "layers", List.of(-2)))
                .post("/embeddings").then().statusCode(200).body("dimension", equalTo(384))
                .body("usage.promptTokens", equalTo(s.input_ids().length)).extract().jsonPath();
        assertEquals(s.input_ids().length, body.getList("embeddings[0]").size());
        assertClose(s.layer_minus2()[1], body.getList("embeddings[0][1]", Float.class), "token 1");
        http().body(Map.of("inputs", List.of(s.text()), "tokenEmbeddings", true, "embeddingType", "int8"))
                .post("/embeddings").then().statusCode(400).body("error", containsString("do not apply"));
    }

    @Test
    void int8AndUint8MatchNumpyOverTheRequestsRange() {
        for (String route : List.of("/v1/embeddings", "/embed")) {
            for (String type : List.of("int8", "uint8")) {
                int[][] expected = type.equals("int8") ? quantized.int8() : quantized.uint8();
                assertNear(expected, vectors(route, Map.of("embedding_type", type)), 0.01, route + " " + type);
            }
        }
        // Calibration ranges a client sends instead. Where a batch vector is itself a calibration minimum, the golden
        // value sits exactly on it (int8 -128) while the server's float may lie a hair above it, which truncation
        // toward zero turns into -127: about a third of the components here, so more values may be one off.
        assertNear(quantized.int8_calibrated(), vectors("/v1/embeddings",
                Map.of("embedding_type", "int8", "ranges", quantized.calibrationRanges())), 0.1, "calibrated int8");
        assertNear(quantized.uint8_calibrated(), vectors("/embed",
                Map.of("encoding_format", "uint8", "ranges", quantized.calibrationRanges())), 0.1, "calibrated uint8");
    }

    @Test
    void binaryAndUbinaryMatchNumpysPackbits() {
        assertBitsNear(quantized.ubinary(), vectors("/v1/embeddings", Map.of("embedding_type", "ubinary")), false);
        assertBitsNear(quantized.binary(), vectors("/embed", Map.of("embedding_type", "binary")), true);
        int[][] cut = vectors("/v1/embeddings", Map.of("embedding_type", "ubinary", "dimensions", quantized.packed_dimensions()));
        assertEquals(quantized.packed_dimensions() / 8, cut[0].length);
        assertBitsNear(quantized.ubinary_dimensions(), cut, false);
    }

    @Test
    void quantizedBase64IsTheRawBytes() {
        Map<String, Object> request = Map.of("input", quantized.texts(), "embedding_type", "int8");
        List<Integer> numbers = http().body(request).post("/v1/embeddings").then().statusCode(200)
                .extract().jsonPath().getList("data[2].embedding", Integer.class);
        String b64 = http().body(new java.util.HashMap<>(Map.of("input", quantized.texts(), "embedding_type", "int8",
                "encoding_format", "base64"))).post("/v1/embeddings").then().statusCode(200).extract().path("data[2].embedding");
        byte[] bytes = Base64.getDecoder().decode(b64);
        assertEquals(numbers.size(), bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            assertEquals(numbers.get(i).intValue(), bytes[i]);
        }
    }

    @Test
    void truncationDirectionLeftKeepsTheEnd() {
        TokenGolden.LeftTruncated left = tokens.left_truncated();
        JsonPath body = http().body(Map.of("inputs", left.text(), "truncate", true, "truncation_direction", "left"))
                .post("/embed").then().statusCode(200).header("x-truncated-inputs", "1")
                .header("x-prompt-tokens", String.valueOf(left.input_ids().length)).extract().jsonPath();
        OpenAiEmbeddingsResourceTest.assertClose(left.mean_normalized(), body.getList("[0]", Float.class));
        // TEI spells it Left/Right too; right is the default and differs.
        JsonPath right = http().body(Map.of("inputs", left.text(), "truncate", true, "truncation_direction", "Right"))
                .post("/embed").then().statusCode(200).extract().jsonPath();
        assertTrue(Math.abs(right.getFloat("[0][0]") - left.mean_normalized()[0]) > 1e-3
                || Math.abs(right.getFloat("[0][1]") - left.mean_normalized()[1]) > 1e-3);
        http().body(Map.of("inputs", List.of(left.text()), "truncate", true, "truncationDirection", "left"))
                .post("/embeddings").then().statusCode(200).body("usage.truncatedInputs", equalTo(1))
                .body("usage.promptTokens", equalTo(left.input_ids().length));
    }

    @Test
    void similarityIsTheCosineToEachSentence() {
        float[] a = golden.sentences().get(0).mean_normalized();
        float[] b = golden.sentences().get(1).mean_normalized();
        float[] c = golden.sentences().get(4).mean_normalized();
        JsonPath body = http().body(Map.of("inputs", Map.of("source_sentence", golden.texts().get(0),
                "sentences", List.of(golden.texts().get(1), golden.texts().get(4), golden.texts().get(0)))))
                .post("/similarity").then().statusCode(200).body("$", hasSize(3)).extract().jsonPath();
        assertEquals(dot(a, b), body.getDouble("[0]"), TOLERANCE);
        assertEquals(dot(a, c), body.getDouble("[1]"), TOLERANCE);
        assertEquals(1.0, body.getDouble("[2]"), TOLERANCE);
    }

    @Test
    void openAiUserFieldIsAcceptedAndIgnored() {
        JsonPath body = http().body(Map.of("input", golden.texts().get(2), "user", "user-1234"))
                .post("/v1/embeddings").then().statusCode(200).extract().jsonPath();
        OpenAiEmbeddingsResourceTest.assertClose(golden.sentences().get(2).mean_normalized(),
                body.getList("data[0].embedding", Float.class));
    }

    // ------------------------------------------------------------------ helpers

    private int[][] vectors(String route, Map<String, Object> options) {
        Map<String, Object> request = new java.util.HashMap<>(options);
        request.put(route.equals("/embed") ? "inputs" : "input", quantized.texts());
        JsonPath body = http().body(request).post(route).then().statusCode(200).extract().jsonPath();
        String prefix = route.equals("/embed") ? "" : "data.embedding";
        List<List<Integer>> rows = prefix.isEmpty() ? body.getList("$") : body.getList(prefix);
        int[][] out = new int[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    /**
     * Server vectors differ from the golden floats in the 7th digit, so a value may land one step over; at most
     * {@code offShare} of them. (QuantizerGoldenTest checks exact equality on the golden floats themselves.)
     */
    private static void assertNear(int[][] expected, int[][] actual, double offShare, String what) {
        int steps = 1;
        assertEquals(expected.length, actual.length, what);
        int off = 0;
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].length, actual[i].length, what);
            for (int d = 0; d < expected[i].length; d++) {
                int diff = Math.abs(expected[i][d] - actual[i][d]);
                assertTrue(diff <= steps, what + " [" + i + "][" + d + "]: " + actual[i][d] + " vs " + expected[i][d]);
                off += diff > 0 ? 1 : 0;
            }
        }
        assertTrue(off <= expected.length * expected[0].length * offShare, what + ": " + off + " values off by one");
    }

    /** Bits may flip only for components within float noise of 0: allow a handful over the whole batch. */
    private static void assertBitsNear(int[][] expected, int[][] actual, boolean signed) {
        assertEquals(expected.length, actual.length);
        int flipped = 0;
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].length, actual[i].length);
            for (int b = 0; b < expected[i].length; b++) {
                int e = signed ? expected[i][b] + 128 : expected[i][b];
                int a = signed ? actual[i][b] + 128 : actual[i][b];
                assertTrue(a >= 0 && a <= 255, "byte range");
                flipped += Integer.bitCount(e ^ a);
            }
        }
        assertTrue(flipped <= 2, flipped + " bits differ");
    }

    private static void assertClose(float[] expected, List<Float> actual, String what) {
        assertEquals(expected.length, actual.size(), what);
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual.get(i)));
        }
        assertTrue(max <= TOLERANCE, what + ": max abs diff " + max);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
