package dev.embedder.api.security;

import static dev.embedder.testing.Http.http;
import static dev.embedder.testing.Http.lambda;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.UnauthorizedException;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.embedder.testing.Http;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** With {@code embedder.security.api-keys} set, every HTTP route but health needs {@code Authorization: Bearer <key>}. */
@QuarkusTest
@TestProfile(ApiKeyProfile.class)
class ApiKeyTest {

    private static final String TEXT = "{\"input\": \"hello\"}";

    @Test
    void everyRouteRefusesARequestWithoutAValidKey() {
        Map<String, String> routes = Map.of("/v1/embeddings", TEXT, "/embed", "{\"inputs\": \"hi\"}",
                "/tokenize", "{\"inputs\": \"hi\"}", "/embeddings", "{\"inputs\": [\"hi\"]}",
                "/embed-s3", "{\"Records\": []}", "/", "{\"inputs\": [\"hi\"]}");
        for (var route : routes.entrySet()) {
            for (String header : new String[] {null, "Bearer wrong", "Basic " + ApiKeyProfile.KEY, "Bearer ",
                    ApiKeyProfile.KEY, "Bearer " + ApiKeyProfile.KEY + "x"}) {
                var request = http().body(route.getValue());
                if (header != null) {
                    request.header("Authorization", header);
                }
                var response = request.post(route.getKey()).then().statusCode(401).header("WWW-Authenticate", "Bearer");
                if (route.getKey().startsWith("/v1/")) {
                    response.body("error.type", equalTo("unauthorized")).body("error.message", containsString("API key"));
                } else {
                    response.body("type", equalTo("unauthorized")).body("error", containsString("API key"));
                }
            }
        }
        http().contentType("image/png").body(new byte[] {1, 2, 3}).post("/embed-image").then().statusCode(401);
        http().get("/info").then().statusCode(401);
        http().get("/v1/models").then().statusCode(401).body("error.type", equalTo("unauthorized"));
    }

    @Test
    void eitherConfiguredKeyIsAccepted() {
        for (String key : List.of(ApiKeyProfile.KEY, ApiKeyProfile.SECOND_KEY)) {
            http().header("Authorization", "Bearer " + key).body(TEXT).post("/v1/embeddings").then().statusCode(200)
                    .body("data", hasSize(1));
        }
        // The scheme name is case-insensitive (RFC 7235).
        http().header("Authorization", "bearer " + ApiKeyProfile.KEY).body("{\"inputs\": [\"hi\"]}").post("/embeddings")
                .then().statusCode(200);
        http().header("Authorization", "Bearer " + ApiKeyProfile.KEY).get("/info").then().statusCode(200);
    }

    @Test
    void healthProbesAndLambdaNeedNoKey() {
        http().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        http().get("/q/health/live").then().statusCode(200);
        http().get("/q/health").then().statusCode(200);
        // The mock Lambda event server stands for Lambda's invoke API, which IAM guards; no HTTP key applies.
        lambda().body(Map.of("inputs", List.of("hi"))).post("/_lambda_").then().statusCode(200)
                .body("dimension", equalTo(384));
    }

    @Test
    void theOpenAiSdkSendsTheKeyAsABearerToken() {
        String base = "http://127.0.0.1:" + Http.port() + "/v1";
        OpenAIClient good = OpenAIOkHttpClient.builder().baseUrl(base).apiKey(ApiKeyProfile.KEY).build();
        try {
            var response = good.embeddings().create(EmbeddingCreateParams.builder().model("all-minilm-l6-v2")
                    .input("a sentence").build());
            Assertions.assertEquals(384, response.data().get(0).embedding().size());
        } finally {
            good.close();
        }
        OpenAIClient bad = OpenAIOkHttpClient.builder().baseUrl(base).apiKey("not-the-key").maxRetries(0).build();
        try {
            UnauthorizedException e = Assertions.assertThrows(UnauthorizedException.class, () -> bad.embeddings()
                    .create(EmbeddingCreateParams.builder().model("all-minilm-l6-v2").input("x").build()));
            Assertions.assertTrue(e.getMessage().contains("API key"), e.getMessage());
        } finally {
            bad.close();
        }
    }
}
