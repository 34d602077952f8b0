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

    private static long millis(Response response, String header) {
        String value = response.getHeader(header);
        assertTrue(value != null && value.matches("\\d+"), header + " = " + value);
        return Long.parseLong(value);
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }
}
