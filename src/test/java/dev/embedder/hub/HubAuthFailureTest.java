package dev.embedder.hub;

import static dev.embedder.testing.Http.http;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/** A private repo without HF_TOKEN: startup fails cleanly, readiness DOWN naming HF_TOKEN, requests 503. */
@QuarkusTest
@TestProfile(HubAuthFailureTest.Profile.class)
@EnabledIf("dev.embedder.hub.FakeHub#available")
class HubAuthFailureTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeHubResource.class, Map.of("models",
                    "all-minilm-l6-v2,test-org/private-model", "server", "--token hf_x --private test-org/private-model")));
        }
    }

    @Test
    void readinessIsDownAndSaysToSetHfToken() {
        http().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'models' }.data.reason", containsString("test-org/private-model"))
                .body("checks.find { it.name == 'models' }.data.reason", containsString("HF_TOKEN"));
        http().get("/q/health/live").then().statusCode(200);
        http().body("{\"input\": \"hello\"}").post("/v1/embeddings").then().statusCode(503)
                .body("error.message", containsString("HF_TOKEN"));
    }
}
