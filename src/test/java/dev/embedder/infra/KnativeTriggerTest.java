package dev.embedder.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Knative Trigger example routes embed-s3 events to the service, retries with backoff and dead-letters. */
class KnativeTriggerTest {

    @Test
    void triggerRetriesWithBackoffAndHasADeadLetterSink() throws IOException {
        JsonNode trigger = new ObjectMapper(new YAMLFactory())
                .readTree(Path.of("infra", "knative", "trigger-embed-s3.yaml").toFile());
        assertEquals("eventing.knative.dev/v1", trigger.path("apiVersion").asText());
        assertEquals("Trigger", trigger.path("kind").asText());
        JsonNode spec = trigger.path("spec");
        // The CloudEvent type names the function (CloudEventDispatcher).
        assertEquals("embed-s3", spec.path("filter").path("attributes").path("type").asText());
        assertEquals("Service", spec.path("subscriber").path("ref").path("kind").asText());
        assertEquals("embedder", spec.path("subscriber").path("ref").path("name").asText(),
                "the service name of quarkus.container-image.name / target/kubernetes/knative.yml");
        JsonNode delivery = spec.path("delivery");
        assertTrue(delivery.path("retry").asInt() >= 3, "transient failures (503) are retried");
        assertEquals("exponential", delivery.path("backoffPolicy").asText());
        assertTrue(Duration.parse(delivery.path("backoffDelay").asText()).toMillis() >= 100, "ISO-8601 delay");
        assertEquals("Service", delivery.path("deadLetterSink").path("ref").path("kind").asText());
    }
}
