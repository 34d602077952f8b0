package dev.embedder.api.rest;

import static dev.embedder.testing.Http.http;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.embedder.testing.Golden;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TeiResourceTest {

    private final Golden golden = Golden.load("all-minilm-l6-v2");

    @Test
    void embedReturnsBareArrays() {
        JsonPath body = http().body(Map.of("inputs", List.of(golden.texts().get(0), golden.texts().get(4))))
                .post("/embed").then().statusCode(200).body("$", hasSize(2)).body("[0]", hasSize(384))
                .extract().jsonPath();
        OpenAiEmbeddingsResourceTest.assertClose(golden.sentences().get(4).mean_normalized(), body.getList("[1]", Float.class));
    }

    @Test
    void normalizeFalseGivesTheRawMean() {
        JsonPath body = http().body(Map.of("inputs", golden.texts().get(5), "normalize", false))
                .post("/embed").then().statusCode(200).extract().jsonPath();
        OpenAiEmbeddingsResourceTest.assertClose(golden.sentences().get(5).mean(), body.getList("[0]", Float.class));
    }

    @Test
    void overLongTextIsRefusedUnlessTruncateIsSet() {
        String longText = golden.sentences().stream().filter(Golden.Sentence::truncated).findFirst().orElseThrow().text();
        http().body(Map.of("inputs", longText)).post("/embed").then().statusCode(413)
                .body("type", equalTo("input_too_large")).body("error", containsString("256-token limit"));
        http().body(Map.of("inputs", longText, "truncate", true)).post("/embed").then().statusCode(200)
                .header("x-truncated-inputs", "1");
    }

    @Test
    void tokenizeShowsTokensWithOffsets() {
        http().body(Map.of("inputs", "Hello world, this is a test sentence.")).post("/tokenize").then().statusCode(200)
                .body("[0].id", equalTo(List.of(101, 7592, 2088, 1010, 2023, 2003, 1037, 3231, 6251, 1012, 102)))
                .body("[0][0].special", equalTo(true))
                .body("[0][1].text", equalTo("hello"))
                .body("[0][1].start", equalTo(0))
                .body("[0][1].stop", equalTo(5));
    }

    @Test
    void infoDescribesTheModels() {
        http().get("/info").then().statusCode(200)
                .body("model_id", equalTo("all-minilm-l6-v2"))
                .body("max_input_length", equalTo(256))
                .body("dimension", equalTo(384))
                .body("hidden_states", equalTo(7))
                .body("models.name", equalTo(List.of("all-minilm-l6-v2", "bge-small-en-v1.5", "mobilenet-v2-nsfwjs")))
                .body("models[2].modality", equalTo("image"))
                .body("models[2].dimension", equalTo(1280))
                .body("models[1].hidden_states", equalTo(13))
                .body("models[1].license", equalTo("MIT"));
    }

    @Test
    void healthIsUpOnceModelsAreLoaded() {
        http().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks[0].data.loaded", containsString("all-minilm-l6-v2"));
        http().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
