package dev.embedder.observability;

import static dev.embedder.testing.Http.http;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The embedder_* meters on known traffic, read back from /q/metrics as Prometheus scrapes them. Values are deltas
 * around the traffic, since other tests share the application. Token counts are those of BERT's uncased WordPiece:
 * "good morning" is [CLS] good morning [SEP], 4 tokens, for both MiniLM and bge (each word is in their vocabulary).
 */
@QuarkusTest
class MetricsTest {

    private static final String MODEL = "bge-small-en-v1.5";
    private static final List<String> FOUR_TEXTS = List.of("good morning", "good night", "hello world", "thank you");

    private static PrometheusText scrape() {
        return new PrometheusText(http().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    @Test
    void threeRequestsOfFourTextsCountThreeRequestsTwelveInputsAndFortyEightTokens() {
        PrometheusText before = scrape();
        for (int i = 0; i < 3; i++) {
            http().body(Map.of("model", MODEL, "input", FOUR_TEXTS)).post("/v1/embeddings").then().statusCode(200);
        }
        PrometheusText after = scrape();

        String[] request = {"model", MODEL, "route", "/v1/embeddings", "outcome", "success"};
        assertEquals(3, delta(before, after, "embedder_requests_seconds_count", request));
        assertTrue(delta(before, after, "embedder_requests_seconds_sum", request) > 0);
        assertEquals(3, delta(before, after, "embedder_request_inputs_count", "model", MODEL));
        assertEquals(12, delta(before, after, "embedder_request_inputs_sum", "model", MODEL));
        assertEquals(48, delta(before, after, "embedder_request_tokens_sum", "model", MODEL));
        // Every text has 4 tokens, so no run pads anything: real == padded == 48, in 12 sequences.
        assertEquals(48, delta(before, after, "embedder_batch_tokens_sum", "kind", "real", "model", MODEL));
        assertEquals(48, delta(before, after, "embedder_batch_tokens_sum", "kind", "padded", "model", MODEL));
        assertEquals(12, delta(before, after, "embedder_batch_size_sum", "model", MODEL));
        for (String stage : List.of("tokenization", "queue", "inference", "pooling")) {
            assertEquals(3, delta(before, after, "embedder_" + stage + "_duration_seconds_count", "model", MODEL), stage);
        }
        // Histograms carry buckets (what histogram_quantile needs); the +Inf bucket counts every request.
        assertEquals(3, delta(before, after, "embedder_inference_duration_seconds_bucket", "model", MODEL, "le", "+Inf"));
        assertTrue(after.has("embedder_queue_depth_sequences", "model", MODEL));
        assertTrue(after.value("embedder_model_load_duration_seconds", "modality", "text", "model", MODEL) > 0);
    }

    @Test
    void paddedTokensExceedRealTokensWhenLengthsDiffer() {
        PrometheusText before = scrape();
        // 4 and 6 tokens: one micro-batch of 2 x 6 padded, 10 real.
        http().body(Map.of("model", MODEL, "input", List.of("good morning", "good morning good morning")))
                .post("/v1/embeddings").then().statusCode(200);
        PrometheusText after = scrape();
        assertEquals(10, delta(before, after, "embedder_batch_tokens_sum", "kind", "real", "model", MODEL));
        assertEquals(12, delta(before, after, "embedder_batch_tokens_sum", "kind", "padded", "model", MODEL));
    }

    @Test
    void errorsAreCountedByRouteAndType() {
        PrometheusText before = scrape();
        http().body(Map.of("inputs", List.of(""))).post("/embed").then().statusCode(400);
        http().body(Map.of("inputs", List.of("x"), "model", "no-such-model")).post("/embed").then().statusCode(404);
        PrometheusText after = scrape();
        assertEquals(1, delta(before, after, "embedder_errors_total", "route", "/embed", "type", "invalid_input"));
        assertEquals(1, delta(before, after, "embedder_errors_total", "route", "/embed", "type", "unknown_model"));
        assertEquals(1, delta(before, after, "embedder_requests_seconds_count", "model", "none", "route", "/embed",
                "outcome", "client_error"));
    }

    @Test
    void imagesCountDecodeTimeAndBytes() {
        byte[] png = TestImages.png(24, 24, 0, 128, 255);
        PrometheusText before = scrape();
        http().contentType("image/png").body(png).post("/embed-image").then().statusCode(200);
        PrometheusText after = scrape();
        String image = "mobilenet-v2-nsfwjs";
        assertEquals(1, delta(before, after, "embedder_image_decode_duration_seconds_count", "model", image));
        assertEquals(png.length, delta(before, after, "embedder_image_size_bytes_sum", "model", image));
        assertEquals(1, delta(before, after, "embedder_batch_size_sum", "model", image));
        assertEquals(1, delta(before, after, "embedder_requests_seconds_count", "model", image, "route", "/embed-image",
                "outcome", "success"));
    }

    @Test
    void functionRouteIsItsOwnRoute() {
        PrometheusText before = scrape();
        http().body(Map.of("model", MODEL, "inputs", List.of("good morning"))).post("/embeddings").then().statusCode(200);
        PrometheusText after = scrape();
        assertEquals(1, delta(before, after, "embedder_requests_seconds_count", "model", MODEL, "route", "/embeddings",
                "outcome", "success"));
    }

    @Test
    void timingHeadersAreWholeMillisecondsThatAddUp() {
        Response response = http().body(Map.of("model", MODEL, "inputs", FOUR_TEXTS)).post("/embed");
        response.then().statusCode(200);
        long tokenization = millis(response, "x-tokenization-time");
        long queue = millis(response, "x-queue-time");
        long inference = millis(response, "x-inference-time");
        long total = millis(response, "x-total-time");
        // Each is floored to whole ms, so the parts may sum to at most 2 ms more than the floored total.
        assertTrue(tokenization + queue + inference <= total + 2,
                tokenization + " + " + queue + " + " + inference + " vs " + total);
        Response image = http().contentType("image/png").body(TestImages.png(8, 8, 1, 2, 3)).post("/embed-image");
        image.then().statusCode(200);
        assertEquals(0, millis(image, "x-tokenization-time"));
        assertTrue(millis(image, "x-total-time") >= millis(image, "x-inference-time"));
        // Function routes get them too (they are written on the Vert.x router, not by Quarkus REST).
        Response function = http().body(Map.of("inputs", List.of("good morning"))).post("/embeddings");
        function.then().statusCode(200);
        millis(function, "x-total-time");
    }

    /**
     * Token counts by hand from bge-small-en-v1.5's tokenizer.json (BERT uncased WordPiece, [CLS] ... [SEP]): each
     * of hello, good, morning, thank, you, very and much is a whole entry of its vocab (ids 7592, 2204, 2851, 4067,
     * 2017, 2200, 2172), so WordPiece keeps each word as one token: "hello" = 3, "good morning" = 4,
     * "thank you very much" = 6; 13 tokens per request.
     */
    private static final List<String> THREE_TEXTS = List.of("hello", "good morning", "thank you very much");

    @Test
    void tokenEmbeddingsAreObservedLikeEmbeddings() {
        PrometheusText before = scrape();
        Response last = null;
        for (int i = 0; i < 2; i++) {
            last = http().body(Map.of("model", MODEL, "inputs", THREE_TEXTS)).post("/embed_all");
            last.then().statusCode(200);
        }
        PrometheusText after = scrape();

        assertEquals(2, delta(before, after, "embedder_requests_seconds_count", "model", MODEL, "route", "/embed_all",
                "outcome", "success"));
        assertEquals(2, delta(before, after, "embedder_request_inputs_count", "model", MODEL));
        assertEquals(6, delta(before, after, "embedder_request_inputs_sum", "model", MODEL));
        assertEquals(26, delta(before, after, "embedder_request_tokens_sum", "model", MODEL));
        // The runs: 6 sequences, 26 real tokens however they are cut into micro-batches.
        assertEquals(6, delta(before, after, "embedder_batch_size_sum", "model", MODEL));
        assertEquals(26, delta(before, after, "embedder_batch_tokens_sum", "kind", "real", "model", MODEL));
        for (String stage : List.of("tokenization", "inference", "pooling")) {
            assertEquals(2, delta(before, after, "embedder_" + stage + "_duration_seconds_count", "model", MODEL), stage);
        }
        // embed_all runs on the request's thread, not through the batcher: no queue wait.
        assertEquals(0, delta(before, after, "embedder_queue_duration_seconds_count", "model", MODEL));
        assertEquals(0, millis(last, "x-queue-time"));
        assertTrue(millis(last, "x-inference-time") <= millis(last, "x-total-time") + 1);
    }

    @Test
    void tokenizeCountsTokensAndTokenizationButNoInference() {
        PrometheusText before = scrape();
        // [CLS] good morning [SEP] and [CLS] thank you very much [SEP]: 4 + 6 tokens.
        Response response = http().body(Map.of("model", MODEL, "inputs", List.of("good morning", "thank you very much")))
                .post("/tokenize");
        response.then().statusCode(200);
        PrometheusText after = scrape();
        assertEquals(1, delta(before, after, "embedder_requests_seconds_count", "model", MODEL, "route", "/tokenize",
                "outcome", "success"));
        assertEquals(2, delta(before, after, "embedder_request_inputs_sum", "model", MODEL));
        assertEquals(10, delta(before, after, "embedder_request_tokens_sum", "model", MODEL));
        assertEquals(1, delta(before, after, "embedder_tokenization_duration_seconds_count", "model", MODEL));
        assertEquals(0, delta(before, after, "embedder_inference_duration_seconds_count", "model", MODEL));
        assertEquals(0, delta(before, after, "embedder_batch_size_count", "model", MODEL));
        assertEquals(null, response.getHeader("x-inference-time"), "no model ran, so no TEI timing headers");
    }

    @Test
    void errorsBeforeTheServiceCountOnceByType() {
        PrometheusText before = scrape();
        http().body("{\"inputs\": [\"good morning\"").post("/embed").then().statusCode(400);
        http().body("{\"inputs\": [\"good morning\"").post("/embeddings").then().statusCode(400);
        // Well-formed JSON, wrong type for a field: Jackson refuses it before the resource runs.
        http().body("{\"inputs\": [\"hi\"], \"truncate\": [1]}").post("/embed_all").then().statusCode(400);
        // Rejected by the route before the service (pooling does not apply to token vectors) ...
        http().body(Map.of("inputs", List.of("hi"), "pooling", "mean")).post("/embed_all").then().statusCode(400);
        // ... and by the service itself: counted once, not by both.
        http().body(Map.of("model", MODEL, "inputs", List.of(" "))).post("/embed_all").then().statusCode(400);
        http().body("").post("/tokenize").then().statusCode(400);
        // Over quarkus.http.limits.max-body-size (6M in application.properties): refused while the body is read.
        http().body("{\"inputs\": \"" + "a".repeat(7 * 1024 * 1024) + "\"}").post("/embed").then().statusCode(413);
        // Not an application route: not counted (no unbounded path label).
        http().body("{").post("/no-such-route").then().statusCode(404);
        PrometheusText after = scrape();

        assertEquals(1, delta(before, after, "embedder_errors_total", "route", "/embed", "type", "invalid_json"));
        assertEquals(1, delta(before, after, "embedder_errors_total", "route", "/embeddings", "type", "invalid_json"));
        assertEquals(1, delta(before, after, "embedder_errors_total", "route", "/embed_all", "type", "invalid_json"));
        assertEquals(2, delta(before, after, "embedder_errors_total", "route", "/embed_all", "type", "invalid_input"));
        assertEquals(1, delta(before, after, "embedder_errors_total", "route", "/tokenize", "type", "invalid_input"));
        assertEquals(1, delta(before, after, "embedder_errors_total", "route", "/embed", "type", "input_too_large"));
        assertEquals(1, delta(before, after, "embedder_requests_seconds_count", "model", MODEL, "route", "/embed_all",
                "outcome", "client_error"));
        for (String sample : after.all().keySet()) {
            assertTrue(!sample.contains("no-such-route"), sample);
        }
        double errors = after.all().entrySet().stream().filter(e -> e.getKey().startsWith("embedder_errors_total{"))
                .mapToDouble(e -> e.getValue() - before.all().getOrDefault(e.getKey(), 0.0)).sum();
        assertEquals(7, errors, "each refused request counts once");
    }

    @Test
    void everyDocumentedPathIsAnApplicationRoute() throws Exception {
        var document = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(http().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
        document.get("paths").fieldNames().forEachRemaining(path -> assertTrue(Routes.APPLICATION.contains(path),
                path + " is missing from Routes.APPLICATION: its errors before the service would not be counted"));
    }

    private static long millis(Response response, String header) {
        String value = response.getHeader(header);
        assertTrue(value != null && value.matches("\\d+"), header + " = " + value);
        return Long.parseLong(value);
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }
}
