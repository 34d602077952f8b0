package dev.embedder.api.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.NotFoundException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.embedder.testing.Golden;
import dev.embedder.testing.Http;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OpenAI's own Java SDK, pointed at Embedder, with no change but the base URL. */
@QuarkusTest
class OpenAiClientTest {

    private OpenAIClient client;

    @BeforeEach
    void connect() {
        client = OpenAIOkHttpClient.builder()
                .baseUrl("http://localhost:" + Http.port() + "/v1")
                .apiKey("unused")
                .maxRetries(0)
                .build();
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void sdkGetsGoldenVectors() {
        Golden golden = Golden.load("all-minilm-l6-v2");
        CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("all-minilm-l6-v2")
                .inputOfArrayOfStrings(golden.texts().subList(0, 3))
                .build());
        assertEquals(3, response.data().size());
        for (int i = 0; i < 3; i++) {
            List<Float> v = response.data().get(i).embedding();
            OpenAiEmbeddingsResourceTest.assertClose(golden.sentences().get(i).mean_normalized(), v);
        }
        int tokens = golden.sentences().subList(0, 3).stream().mapToInt(s -> s.input_ids().length).sum();
        assertEquals(tokens, response.usage().promptTokens());
    }

    @Test
    void sdkDecodesBase64AndDimensions() {
        // The SDK asks for base64 by default in recent versions and decodes it itself; ask explicitly too.
        CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("all-minilm-l6-v2")
                .input("The quick brown fox")
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64)
                .dimensions(32)
                .build());
        List<Float> v = response.data().get(0).embedding();
        assertEquals(32, v.size());
        double norm = Math.sqrt(v.stream().mapToDouble(x -> x * x).sum());
        assertEquals(1.0, norm, 1e-5);
    }

    @Test
    void unknownModelIsTheSdksNotFound() {
        NotFoundException e = assertThrows(NotFoundException.class, () -> client.embeddings().create(
                EmbeddingCreateParams.builder().model("text-embedding-3-small").input("hi").build()));
        assertTrue(e.getMessage().contains("unknown model"), e.getMessage());
    }
}
