package dev.embedder.api.hf;

import static dev.embedder.testing.Http.http;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The built-in bundles answer to the names users know too: any case, and the Hugging Face id whose name part is
 * the bundle's name (built-in manifests carry no repo id, so responses keep the bundle name).
 */
@QuarkusTest
class ModelNamesTest {

    @Test
    void builtInBundlesAnswerToTheirHubIdAndAnyCase() {
        for (String model : new String[] {"all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2", "ALL-MINILM-L6-V2"}) {
            http().body("{\"input\": \"hello\", \"model\": \"" + model + "\"}").post("/v1/embeddings").then()
                    .statusCode(200).body("model", equalTo("all-minilm-l6-v2"));
        }
        http().body("{\"input\": \"hello\", \"model\": \"sentence-transformers/all-mpnet-base-v2\"}").post("/v1/embeddings")
                .then().statusCode(404).body("error.message", containsString("unknown model"));
    }
}
