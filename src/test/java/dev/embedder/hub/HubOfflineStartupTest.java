package dev.embedder.hub;

import static dev.embedder.testing.Http.http;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.embedder.testing.Golden;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The prefetch command (a separate JVM) fills the cache; the application then starts with HF_HUB_OFFLINE=1 and the
 * endpoint still set: it loads the model and no request reaches the Hub.
 */
@QuarkusTest
@TestProfile(HubOfflineStartupTest.Profile.class)
@EnabledIf("dev.embedder.hub.FakeHub#available")
class HubOfflineStartupTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeHubResource.class, Map.of("prefetch", "true")));
        }
    }

    @Test
    void aPrefetchedCacheLoadsOfflineWithoutARequest() {
        http().get("/q/health/ready").then().statusCode(200);
        Golden.Sentence s = Golden.load("all-minilm-l6-v2").sentences().get(0);
        Response r = http().body("{\"input\": \"" + s.text() + "\", \"model\": \"all-MiniLM-L6-v2\"}")
                .post("/v1/embeddings");
        r.then().statusCode(200);
        List<Float> v = r.jsonPath().getList("data[0].embedding", Float.class);
        for (int d = 0; d < s.mean_normalized().length; d++) {
            assertEquals(s.mean_normalized()[d], v.get(d), 1e-4, "dim " + d);
        }
        assertEquals(FakeHubResource.requestsBeforeStart, FakeHubResource.hub.requests().size(),
                () -> "requests after the prefetch: " + FakeHubResource.paths(FakeHubResource.hub.requests()
                        .subList(FakeHubResource.requestsBeforeStart, FakeHubResource.hub.requests().size())));
    }
}
