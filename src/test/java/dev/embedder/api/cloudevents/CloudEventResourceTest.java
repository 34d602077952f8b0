package dev.embedder.api.cloudevents;

import static dev.embedder.testing.Http.http;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The function as Knative Eventing reaches it: CloudEvents posted to the service root. */
@QuarkusTest
class CloudEventResourceTest {

    @Test
    void binaryModeEventIsAnsweredWithAnOutputEvent() {
        http().header("ce-specversion", "1.0").header("ce-id", "42").header("ce-type", "embeddings")
                .header("ce-source", "test").body(Map.of("inputs", List.of("a cloud event")))
                .post("/").then().statusCode(200)
                .header("ce-type", "embeddings.output")
                .header("ce-id", notNullValue())
                .body("dimension", equalTo(384)).body("embeddings", hasSize(1));
    }

    @Test
    void structuredModeEventCarriesItsDataInside() {
        http().contentType("application/cloudevents+json")
                .body(Map.of("specversion", "1.0", "id", "7", "type", "embeddings", "source", "test",
                        "data", Map.of("inputs", List.of("one", "two"))))
                .post("/").then().statusCode(200)
                .body("type", equalTo("embeddings.output"))
                .body("data.embeddings", hasSize(2));
    }

    @Test
    void malformedEventsAreRefused() {
        http().header("ce-specversion", "1.0").header("ce-id", "1").header("ce-type", "no-such-function")
                .header("ce-source", "test").body(Map.of("inputs", List.of("x")))
                .post("/").then().statusCode(400).body("error", containsString("unknown CloudEvent type"));
        // Some CloudEvent attributes but not all: a broken event, not TEI's root route.
        http().header("ce-type", "embeddings").header("ce-id", "1").body(Map.of("inputs", List.of("x"))).post("/")
                .then().statusCode(400).body("error", containsString("not a CloudEvent"));
        http().header("ce-specversion", "1.0").header("ce-id", "1").header("ce-type", "embeddings")
                .header("ce-source", "test").body(Map.of("inputs", List.of()))
                .post("/").then().statusCode(400).body("error", containsString("at least one text"));
    }
}
