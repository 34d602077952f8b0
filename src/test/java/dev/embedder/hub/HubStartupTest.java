package dev.embedder.hub;

import static dev.embedder.testing.Http.http;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.testing.Golden;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * A server started with {@code embedder.bundle.models=sentence-transformers/all-MiniLM-L6-v2} and an empty cache:
 * startup downloads the model from the Hub-compatible test server and serves it, with the vectors of the same files
 * loaded from a local directory (and of the independent JS pipeline); a request never triggers a download.
 */
@QuarkusTest
@TestProfile(HubStartupTest.Profile.class)
@EnabledIf("dev.embedder.hub.FakeHub#available")
class HubStartupTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeHubResource.class, Map.of("models", FakeHub.MINILM + ",LOCAL")));
        }
    }

    static final Golden MINILM = Golden.load("all-minilm-l6-v2");

    @Test
    void startupFetchedTheModelIntoTheCacheAndServesItLikeTheLocalDirectory() {
        http().get("/q/health/ready").then().statusCode(200);
        assertTrue(FakeHubResource.hub.requests().stream().anyMatch(r -> r.get("listener").asText().equals("cdn")),
                "the export was downloaded at startup");
        assertTrue(Files.isDirectory(FakeHubResource.cache.resolve("models--sentence-transformers--all-MiniLM-L6-v2")));

        List<String> texts = MINILM.sentences().stream().limit(4).map(Golden.Sentence::text).toList();
        String input = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(texts).toString();
        Response hub = http().body("{\"input\": " + input + ", \"model\": \"" + FakeHub.MINILM + "\"}")
                .post("/v1/embeddings");
        hub.then().statusCode(200).body("model", equalTo(FakeHub.MINILM));
        Response local = http().body("{\"input\": " + input + ", \"model\": \"minilm-local\"}").post("/v1/embeddings");
        local.then().statusCode(200);
        for (int i = 0; i < texts.size(); i++) {
            List<Float> fromHub = hub.jsonPath().getList("data[" + i + "].embedding", Float.class);
            assertEquals(local.jsonPath().getList("data[" + i + "].embedding", Float.class), fromHub, "sentence " + i);
            float[] golden = MINILM.sentences().get(i).mean_normalized();
            for (int d = 0; d < golden.length; d++) {
                assertEquals(golden[d], fromHub.get(d), 1e-4, "sentence " + i + " dim " + d);
            }
        }
    }

    @Test
    void aRequestNamingAnUnconfiguredHubModelIs404AndReachesNoHub() {
        http().get("/q/health/ready").then().statusCode(200);
        int before = FakeHubResource.hub.requests().size();
        http().body("{\"input\": \"hello\", \"model\": \"sentence-transformers/paraphrase-MiniLM-L3-v2\"}")
                .post("/v1/embeddings").then().statusCode(404);
        http().body("{\"inputs\": \"hello\", \"model\": \"hf:BAAI/bge-small-en-v1.5@main\"}").post("/embed").then()
                .statusCode(404);
        assertEquals(before, FakeHubResource.hub.requests().size(), "no request reached the Hub");
    }
}
