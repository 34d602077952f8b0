package dev.embedder.faults;

import static dev.embedder.testing.Http.http;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.bundle.BundleLoader;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A bundle whose model cannot be loaded: the process stays up (so the reason can be read), readiness is DOWN
 * naming the bundle and the cause, and every embedding request gets 503 with the same reason.
 */
@QuarkusTest
@TestProfile(BrokenBundleProfile.class)
class BrokenBundleTest {

    @Test
    void readinessIsDownWithTheReason() {
        http().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                .body("checks[0].data.reason", containsString("bundle '" + BrokenBundleProfile.NAME + "'"))
                .body("checks[0].data.reason", containsString("not an ONNX model"));
        http().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void requestsGet503NamingTheReason() {
        http().body("{\"input\": \"hello\"}").post("/v1/embeddings").then().statusCode(503)
                .body("error.type", equalTo("not_ready"))
                .body("error.message", containsString("models failed to load: bundle '" + BrokenBundleProfile.NAME));
        http().contentType("image/png").body(new byte[] {1, 2, 3}).post("/embed-image").then().statusCode(503)
                .body("type", equalTo("not_ready")).body("error", containsString("not an ONNX model"));
        http().body("{\"inputs\": [\"x\"]}").post("/embeddings").then().statusCode(503).body("type", equalTo("not_ready"));
        http().get("/info").then().statusCode(503);
    }

    @Test
    void aMissingModelFileIsNamedWithItsPath() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "broken-bundles", "no-model"));
        // The corrupt bundle's manifest under another name, with no model file beside it.
        String manifest = Files.readString(Path.of("target", "broken-bundles", BrokenBundleProfile.NAME, "bundle.json"));
        Files.writeString(dir.resolve("bundle.json"), manifest.replace(BrokenBundleProfile.NAME, "no-model"));
        var bundle = new BundleLoader(List.of(dir.getParent().toString())).load("no-model");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> bundle.read("model"));
        assertTrue(e.getMessage().contains("bundle file not found") && e.getMessage().contains("model.onnx"), e.getMessage());
    }
}
