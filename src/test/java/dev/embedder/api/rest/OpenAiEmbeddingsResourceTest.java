package dev.embedder.api.rest;

import static dev.embedder.testing.Http.http;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.testing.Golden;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OpenAiEmbeddingsResourceTest {

    private final Golden golden = Golden.load("all-minilm-l6-v2");

    @Test
    void singleStringGivesOneGoldenVector() {
        JsonPath body = http().body(Map.of("input", golden.texts().get(0), "model", "all-minilm-l6-v2"))
                .post("/v1/embeddings").then().statusCode(200)
                .body("object", equalTo("list"))
                .body("data", hasSize(1))
                .body("data[0].object", equalTo("embedding"))
                .body("data[0].index", equalTo(0))
                .body("model", equalTo("all-minilm-l6-v2"))
                .body("usage.prompt_tokens", equalTo(golden.sentences().get(0).input_ids().length))
                .body("usage.total_tokens", equalTo(golden.sentences().get(0).input_ids().length))
                .extract().jsonPath();
        assertClose(golden.sentences().get(0).mean_normalized(), body.getList("data[0].embedding", Float.class));
    }

    @Test
    void arrayKeepsOrderAndModelDefaultsToMiniLm() {
        List<String> texts = golden.texts();
        JsonPath body = http().body(Map.of("input", texts, "truncate", true)).post("/v1/embeddings")
                .then().statusCode(200).body("data", hasSize(texts.size())).extract().jsonPath();
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(i, body.getInt("data[" + i + "].index"));
            assertClose(golden.sentences().get(i).mean_normalized(), body.getList("data[" + i + "].embedding", Float.class));
        }
    }

    @Test
    void base64IsLittleEndianFloat32() {
        String b64 = http().body(Map.of("input", golden.texts().get(1), "encoding_format", "base64"))
                .post("/v1/embeddings").then().statusCode(200).extract().path("data[0].embedding");
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(b64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(v);
        assertTrue(Golden.maxAbsDiff(golden.sentences().get(1).mean_normalized(), v) <= 1e-4);
    }

    @Test
    void dimensionsCutsAndRenormalises() {
        JsonPath body = http().body(Map.of("input", golden.texts().get(2), "dimensions", 128))
                .post("/v1/embeddings").then().statusCode(200).body("data[0].embedding", hasSize(128))
                .extract().jsonPath();
        List<Float> v = body.getList("data[0].embedding", Float.class);
        double norm = Math.sqrt(v.stream().mapToDouble(x -> x * x).sum());
        assertEquals(1.0, norm, 1e-5);
        // Same direction as the golden vector's first 128 components.
        float[] head = java.util.Arrays.copyOf(golden.sentences().get(2).mean_normalized(), 128);
        assertEquals(1.0, dev.embedder.pooling.Vectors.cosine(head, toArray(v)), 1e-5);
    }

    @Test
    void truncateIsReportedInUsage() {
        Golden.Sentence longOne = golden.sentences().stream().filter(Golden.Sentence::truncated).findFirst().orElseThrow();
        JsonPath body = http().body(Map.of("input", List.of(longOne.text(), "short"), "truncate", true))
                .post("/v1/embeddings").then().statusCode(200)
                .body("usage.truncated_inputs", equalTo(1))
                .body("usage.prompt_tokens", greaterThan(256))
                .extract().jsonPath();
        assertClose(longOne.mean_normalized(), body.getList("data[0].embedding", Float.class));
    }

    @Test
    void secondBundleIsServedByName() {
        Golden bge = Golden.load("bge-small-en-v1.5");
        // bge's manifest defaults to CLS pooling, as its authors recommend; ask for mean to match the golden.
        JsonPath body = http().body(Map.of("input", bge.texts().get(3), "model", "bge-small-en-v1.5", "pooling", "mean"))
                .post("/v1/embeddings").then().statusCode(200).body("model", equalTo("bge-small-en-v1.5"))
                .extract().jsonPath();
        assertClose(bge.sentences().get(3).mean_normalized(), body.getList("data[0].embedding", Float.class));
    }

    @Test
    void modelsAreListed() {
        http().get("/v1/models").then().statusCode(200)
                .body("data.id", org.hamcrest.Matchers.hasItems("all-minilm-l6-v2", "bge-small-en-v1.5"));
    }

    static void assertClose(float[] expected, List<Float> actual) {
        assertTrue(Golden.maxAbsDiff(expected, toArray(actual)) <= 1e-4);
    }

    static float[] toArray(List<Float> list) {
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }
}
