package dev.embedder.observability;

import static dev.embedder.testing.Http.http;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.embedder.api.security.ApiKeyProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A request refused for its API key (401, before any route runs) counts in embedder_errors_total with type
 * unauthorized. Same profile as ApiKeyTest, so the suite starts no extra application for it.
 */
@QuarkusTest
@TestProfile(ApiKeyProfile.class)
class ApiKeyErrorMetricsTest {

    private static PrometheusText scrape() {
        return new PrometheusText(http().header("Authorization", "Bearer " + ApiKeyProfile.KEY).get("/q/metrics")
                .then().statusCode(200).extract().asString());
    }

    @Test
    void missingAndWrongKeysCountAsUnauthorized() {
        PrometheusText before = scrape();
        http().body(Map.of("inputs", List.of("hi"))).post("/embed_all").then().statusCode(401);
        http().header("Authorization", "Bearer wrong").body(Map.of("input", "hi")).post("/v1/embeddings").then()
                .statusCode(401);
        http().header("Authorization", "Bearer " + ApiKeyProfile.KEY).body(Map.of("inputs", List.of("hi")))
                .post("/embed_all").then().statusCode(200);
        PrometheusText after = scrape();
        assertEquals(1, after.value("embedder_errors_total", "route", "/embed_all", "type", "unauthorized")
                - before.value("embedder_errors_total", "route", "/embed_all", "type", "unauthorized"));
        assertEquals(1, after.value("embedder_errors_total", "route", "/v1/embeddings", "type", "unauthorized")
                - before.value("embedder_errors_total", "route", "/v1/embeddings", "type", "unauthorized"));
        // A refused request is no embedding request: only the one with the key counts there.
        String[] success = {"model", "all-minilm-l6-v2", "route", "/embed_all", "outcome", "success"};
        assertEquals(1, after.value("embedder_requests_seconds_count", success)
                - before.value("embedder_requests_seconds_count", success));
    }
}
