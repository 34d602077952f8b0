package dev.embedder.api.hf;

import static dev.embedder.testing.Http.http;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.testing.Golden;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Models served from their Hugging Face directories (embedder.bundle.models=/path/to/dir, no manifest):
 * named by repo id, bundle name or case-insensitively; e5's prompts per request on the OpenAI, TEI and Funqy
 * routes, with the prompt's tokens counted; vectors equal to the independent JS pipeline's.
 */
@QuarkusTest
@TestProfile(HfDirectoryProfile.class)
class HfDirectoryApiTest {

    private static final Golden MINILM = Golden.load("all-minilm-l6-v2");
    private static final Golden E5 = Golden.load("e5-small-v2");
    private static final String S0 = MINILM.sentences().get(0).text();

    @Test
    void readyAndListedByRepoId() {
        http().get("/q/health/ready").then().statusCode(200);
        http().get("/v1/models").then().statusCode(200)
                .body("data.id", hasItems("sentence-transformers/all-MiniLM-L6-v2", "intfloat/e5-small-v2"));
        http().get("/info").then().statusCode(200).body("model_id", equalTo("sentence-transformers/all-MiniLM-L6-v2"))
                .body("models.name", hasItems("all-MiniLM-L6-v2", "e5-small-v2"))
                .body("models.repo_id", hasItems("sentence-transformers/all-MiniLM-L6-v2", "intfloat/e5-small-v2"))
                .body("models[0].max_input_length", equalTo(256))
                .body("models[0].hidden_states", equalTo(7));
    }

    @Test
    void aModelIsFoundByRepoIdNameOrAnyCase() {
        for (String model : List.of("sentence-transformers/all-MiniLM-L6-v2", "all-MiniLM-L6-v2", "ALL-minilm-l6-V2",
                "Sentence-Transformers/All-MiniLM-L6-v2")) {
            Response r = http().body("{\"input\": \"" + S0 + "\", \"model\": \"" + model + "\"}").post("/v1/embeddings");
            r.then().statusCode(200).body("model", equalTo("sentence-transformers/all-MiniLM-L6-v2"));
            assertClose(MINILM.sentences().get(0).mean_normalized(), r.jsonPath().getList("data[0].embedding", Float.class),
                    model);
        }
        http().body("{\"input\": \"x\", \"model\": \"intfloat/e5-small-v3\"}").post("/v1/embeddings").then()
                .statusCode(404);
    }

    @Test
    void promptsOnTheOpenAiRouteCountTheirTokens() {
        Golden.Sentence s = E5.sentences().get(0);
        Response r = http().body("{\"input\": \"" + s.text() + "\", \"model\": \"intfloat/e5-small-v2\","
                + " \"prompt_name\": \"query\"}").post("/v1/embeddings");
        r.then().statusCode(200).body("usage.prompt_tokens", equalTo(s.query_input_ids().length));
        assertClose(s.query_mean_normalized(), r.jsonPath().getList("data[0].embedding", Float.class), "openai query");
        Response plain = http().body("{\"input\": \"" + s.text() + "\", \"model\": \"e5-small-v2\"}").post("/v1/embeddings");
        plain.then().statusCode(200).body("usage.prompt_tokens", equalTo(s.input_ids().length));
        assertClose(s.mean_normalized(), plain.jsonPath().getList("data[0].embedding", Float.class), "openai no prompt");
    }

    @Test
    void promptsOnTeiAndFunqy() {
        Golden.Sentence s = E5.sentences().get(1);
        Response tei = http().body("{\"inputs\": \"" + s.text() + "\", \"model\": \"e5-small-v2\","
                + " \"prompt_name\": \"passage\"}").post("/embed");
        tei.then().statusCode(200).header("x-model", "intfloat/e5-small-v2");
        assertClose(s.passage_mean_normalized(), tei.jsonPath().getList("[0]", Float.class), "tei passage");
        Response teiText = http().body("{\"inputs\": \"" + s.text() + "\", \"model\": \"e5-small-v2\","
                + " \"prompt\": \"query: \"}").post("/embed");
        teiText.then().statusCode(200).header("x-prompt-tokens", String.valueOf(s.query_input_ids().length));
        assertClose(s.query_mean_normalized(), teiText.jsonPath().getList("[0]", Float.class), "tei prompt text");
        Response funqy = http().body("{\"inputs\": [\"" + s.text() + "\"], \"model\": \"intfloat/e5-small-v2\","
                + " \"promptName\": \"query\"}").post("/embeddings");
        funqy.then().statusCode(200).body("usage.promptTokens", equalTo(s.query_input_ids().length));
        assertClose(s.query_mean_normalized(), funqy.jsonPath().getList("embeddings[0]", Float.class), "funqy query");
    }

    @Test
    void badPromptsAre400() {
        http().body("{\"input\": \"hi\", \"model\": \"e5-small-v2\", \"prompt_name\": \"question\"}")
                .post("/v1/embeddings").then().statusCode(400)
                .body("error.message", containsString("unknown prompt_name 'question'"))
                .body("error.message", containsString("[passage, query]"));
        http().body("{\"inputs\": \"hi\", \"model\": \"e5-small-v2\", \"prompt_name\": \"query\", \"prompt\": \"q: \"}")
                .post("/embed").then().statusCode(400).body("error", containsString("either prompt_name or prompt"));
        http().body("{\"inputs\": \"hi\", \"prompt_name\": \"query\"}").post("/embed").then().statusCode(400)
                .body("error", containsString("has no prompts"));
    }

    private static void assertClose(float[] expected, List<Float> actual, String what) {
        assertEquals(expected.length, actual.size(), what);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual.get(i)));
        }
        assertTrue(worst <= 1e-4, what + ": max abs diff " + worst);
    }
}
