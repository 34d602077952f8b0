package dev.embedder.api.hf;

import static dev.embedder.testing.Http.http;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** A model directory that cannot be served: the process stays up, readiness is DOWN naming the files found. */
@QuarkusTest
@TestProfile(BrokenHfDirectoryProfile.class)
class BrokenHfDirectoryTest {

    @Test
    void readinessIsDownListingWhatTheDirectoryHolds() {
        http().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                .body("checks[0].data.reason", containsString("no ONNX file for variant 'fp32'"))
                .body("checks[0].data.reason", containsString("ONNX files found: none"))
                .body("checks[0].data.reason", containsString("tokenizer.json"));
        http().get("/q/health/live").then().statusCode(200);
        http().body("{\"input\": \"hello\"}").post("/v1/embeddings").then().statusCode(503)
                .body("error.message", containsString("no ONNX file"));
    }
}
