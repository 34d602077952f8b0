package dev.embedder.api.funqy;

import static dev.embedder.testing.Http.lambda;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.testing.Golden;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code embeddings} function invoked as AWS Lambda does: events posted to Quarkus's mock event server. */
@QuarkusTest
class EmbedFunctionLambdaTest {

    @Test
    void lambdaEventReturnsGoldenVectors() {
        Golden golden = Golden.load("all-minilm-l6-v2");
        List<String> texts = golden.texts().subList(0, 5);
        JsonPath body = lambda().body(Map.of("inputs", texts)).post("/_lambda_")
                .then().statusCode(200)
                .body("model", equalTo("all-minilm-l6-v2"))
                .body("dimension", equalTo(384))
                .body("embeddings", hasSize(5))
                .extract().jsonPath();
        for (int i = 0; i < texts.size(); i++) {
            float[] actual = floats(body.getList("embeddings[" + i + "]", Float.class));
            assertTrue(Golden.maxAbsDiff(golden.sentences().get(i).mean_normalized(), actual) <= 1e-4, "input " + i);
        }
        int tokens = golden.sentences().subList(0, 5).stream().mapToInt(s -> s.input_ids().length).sum();
        assertTrue(body.getInt("usage.promptTokens") == tokens, "usage counts the tokens embedded");
    }

    @Test
    void layersPoolingAndDimensionsAreHonoured() {
        Golden golden = Golden.load("bge-small-en-v1.5");
        JsonPath body = lambda().body(Map.of("model", "bge-small-en-v1.5", "inputs", List.of(golden.texts().get(0)),
                        "layers", List.of(-2), "pooling", "mean", "normalize", false))
                .post("/_lambda_").then().statusCode(200).extract().jsonPath();
        float[] actual = floats(body.getList("embeddings[0]", Float.class));
        assertTrue(Golden.maxAbsDiff(golden.sentences().get(0).mean_layer_minus2(), actual) <= 1e-4);

        lambda().body(Map.of("inputs", List.of("short text"), "dimensions", 64)).post("/_lambda_")
                .then().statusCode(200).body("dimension", equalTo(64)).body("embeddings[0]", hasSize(64));
    }

    @Test
    void badEventFailsTheInvocationWithTheReason() {
        lambda().body(Map.of("inputs", List.of())).post("/_lambda_")
                .then().statusCode(500).body(containsString("at least one text"));
        lambda().body(Map.of("inputs", List.of("x"), "model", "no-such-model")).post("/_lambda_")
                .then().statusCode(500).body(containsString("unknown model 'no-such-model'"));
        // The function keeps serving afterwards.
        lambda().body(Map.of("inputs", List.of("still alive"))).post("/_lambda_").then().statusCode(200);
    }

    @Test
    void theSameFunctionAnswersOverHttp() {
        dev.embedder.testing.Http.http().body(Map.of("inputs", List.of("over plain HTTP"))).post("/embeddings")
                .then().statusCode(200).body("dimension", equalTo(384)).body("embeddings", hasSize(1));
    }

    static float[] floats(List<Float> list) {
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }
}
