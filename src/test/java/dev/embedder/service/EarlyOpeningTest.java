package dev.embedder.service;

import static dev.embedder.testing.Http.http;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * In JVM mode the models open beside Quarkus's boot, from the configuration seen at static init, and StartupEvent
 * takes them over because the runtime configuration says the same (the default test profile; the Hub tests do the
 * same with a test resource's settings).
 */
@QuarkusTest
class EarlyOpeningTest {

    @Inject
    ModelRegistry registry;

    @Test
    void modelsOpenedDuringBootServeRequests() {
        assertTrue(registry.isReady());
        assertTrue(registry.openedDuringBoot(), "the models should have been opened beside the boot");
        http().body("{\"input\": [\"first\", \"second\"]}").post("/v1/embeddings").then()
                .statusCode(200).body("data", hasSize(2));
    }
}
