package dev.embedder.api.rest;

import static dev.embedder.testing.Http.http;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each bad request gets a 4xx JSON error naming the problem, and the service keeps serving:
 * after all of them a good request still works and readiness is still UP.
 */
@QuarkusTest
class BadInputTest {

    static Stream<Arguments> badRequests() {
        String tooMany = "[" + "\"a\",".repeat(512) + "\"a\"]";
        String huge = "x".repeat(200_001);
        return Stream.of(
                // route, body, status, type, words the message must contain
                Arguments.of("/v1/embeddings", "{\"input\": []}", 400, "invalid_input", "at least one text"),
                Arguments.of("/v1/embeddings", "{\"input\": \"\"}", 400, "invalid_input", "input 0 is empty"),
                Arguments.of("/v1/embeddings", "{\"input\": [\"ok\", \"   \"]}", 400, "invalid_input", "input 1 is empty"),
                Arguments.of("/v1/embeddings", "{\"input\": [\"ok\", 42]}", 400, "invalid_input", "input[1]"),
                Arguments.of("/v1/embeddings", "{\"input\": [\"ok\", {\"a\": 1}]}", 400, "invalid_input", "must be a string"),
                Arguments.of("/v1/embeddings", "{\"input\": [\"ok\", null]}", 400, "invalid_input", "must be a string"),
                Arguments.of("/v1/embeddings", "{\"input\": 7}", 400, "invalid_input", "string or an array of strings"),
                Arguments.of("/v1/embeddings", "{\"model\": \"all-minilm-l6-v2\"}", 400, "invalid_input", "'input' is required"),
                Arguments.of("/v1/embeddings", "{\"input\": " + tooMany + "}", 413, "input_too_large", "the limit is 512"),
                Arguments.of("/v1/embeddings", "{\"input\": \"" + huge + "\"}", 413, "input_too_large", "200000"),
                Arguments.of("/v1/embeddings", "{\"input\": \"" + "word ".repeat(400) + "\"}", 413, "input_too_large", "256-token limit"),
                Arguments.of("/v1/embeddings", "{\"input\": \"hi\", \"model\": \"gpt-4\"}", 404, "unknown_model", "unknown model 'gpt-4'"),
                Arguments.of("/v1/embeddings", "{\"input\": \"hi\", \"dimensions\": 0}", 400, "invalid_input", "between 1 and 384"),
                Arguments.of("/v1/embeddings", "{\"input\": \"hi\", \"dimensions\": 385}", 400, "invalid_input", "between 1 and 384"),
                Arguments.of("/v1/embeddings", "{\"input\": \"hi\", \"dimensions\": \"ten\"}", 400, "invalid_json", "dimensions"),
                Arguments.of("/v1/embeddings", "{\"input\": \"hi\", \"encoding_format\": \"int4\"}", 400, "invalid_input", "encoding_format"),
                Arguments.of("/v1/embeddings", "{\"input\": \"hi\", \"encoding_format\": \"int8\"}", 400, "invalid_input", "at least two inputs"),
                Arguments.of("/v1/embeddings", "{\"input\": \"hi\", \"embedding_type\": \"int4\"}", 400, "invalid_input", "embedding_type must be one of"),
                Arguments.of("/v1/embeddings", "{\"input\": \"hi\", \"embedding_type\": \"binary\", \"dimensions\": 100}", 400, "invalid_input", "multiple of 8"),
                Arguments.of("/v1/embeddings", "{\"input\": \"hi\", \"encoding_format\": \"int8\", \"embedding_type\": \"binary\"}", 400, "invalid_input", "disagree"),
                Arguments.of("/v1/embeddings", "{\"input\": \"hi\", \"embedding_type\": \"binary\", \"ranges\": [[0],[1]]}", 400, "invalid_input", "ranges apply to int8 and uint8"),
                Arguments.of("/v1/embeddings", "{\"input\": \"hi\", \"embedding_type\": \"int8\", \"ranges\": [[0],[1]]}", 400, "invalid_input", "ranges must be two arrays"),
                Arguments.of("/v1/embeddings", "{\"input\": \"hi\", \"layers\": [7]}", 400, "invalid_input", "layer 7 is out of range"),
                Arguments.of("/v1/embeddings", "{\"input\": \"hi\", \"layers\": [-8]}", 400, "invalid_input", "layer -8 is out of range"),
                Arguments.of("/v1/embeddings", "{\"input\": \"hi\", \"pooling\": \"weightedmean\"}", 400, "invalid_input", "unknown pooling 'weightedmean'"),
                Arguments.of("/v1/embeddings", "{\"input\": \"hi\"", 400, "invalid_json", "not valid JSON"),
                Arguments.of("/v1/embeddings", "not json at all", 400, "invalid_json", "not valid JSON"),
                Arguments.of("/v1/embeddings", "[\"a\"]", 400, "invalid_json", ""),
                Arguments.of("/embed", "{\"inputs\": []}", 400, "invalid_input", "at least one text"),
                Arguments.of("/embed", "{\"inputs\": \"hi\", \"truncation_direction\": \"up\"}", 400, "invalid_input", "truncation_direction"),
                Arguments.of("/embed_all", "{\"inputs\": \"hi\", \"pooling\": \"cls\"}", 400, "invalid_input", "do not apply"),
                Arguments.of("/embed_all", "{\"inputs\": \"hi\", \"dimensions\": 8}", 400, "invalid_input", "neither pooled"),
                Arguments.of("/embed_all", "{\"inputs\": \"hi\", \"layers\": [9]}", 400, "invalid_input", "layer 9 is out of range"),
                Arguments.of("/embed_all", "{\"inputs\": \"hi\", \"truncation_direction\": \"middle\"}", 400, "invalid_input", "truncation_direction"),
                Arguments.of("/similarity", "{\"inputs\": {\"source_sentence\": \"hi\"}}", 400, "invalid_input", "sentences"),
                Arguments.of("/similarity", "{\"inputs\": {\"source_sentence\": \"hi\", \"sentences\": [\"\"]}}", 400, "invalid_input", "is empty"),
                Arguments.of("/", "[1, 2]", 400, "invalid_input", "TEI's embed request"),
                Arguments.of("/embed", "{\"inputs\": \"hi\", \"normalize\": \"yes\"}", 400, "invalid_json", "normalize"),
                Arguments.of("/embed", "{\"texts\": [\"wrong field\"]}", 400, "invalid_input", "'inputs' is required"),
                Arguments.of("/tokenize", "{\"inputs\": 3}", 400, "invalid_input", "string or an array of strings"),
                Arguments.of("/embeddings", "{\"inputs\": []}", 400, "invalid_input", "at least one text"),
                Arguments.of("/embeddings", "{\"inputs\": [\"x\"], \"model\": \"nope\"}", 404, "unknown_model", "unknown model"));
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void badRequestGetsAClearError(String route, String body, int status, String type, String words) {
        var response = http().body(body).post(route).then().statusCode(status);
        if (route.startsWith("/v1/")) {
            // OpenAI's error shape, which OpenAI SDKs read.
            response.body("error.type", equalTo(type)).body("error.message", containsString(words));
        } else {
            response.body("type", equalTo(type)).body("error", containsString(words));
        }
    }

    @AfterAll
    static void stillServing() {
        http().body("{\"input\": [\"first\", \"second\"]}").post("/v1/embeddings").then().statusCode(200)
                .body("data", hasSize(2));
        http().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
