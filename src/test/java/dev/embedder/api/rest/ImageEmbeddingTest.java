package dev.embedder.api.rest;

import static dev.embedder.testing.Http.http;
import static dev.embedder.testing.Http.lambda;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.pooling.Vectors;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Images through every entry point, on the default pretrained image bundle (MobileNetV2 from nsfwjs). */
@QuarkusTest
class ImageEmbeddingTest {

    private static final List<String> PHOTOS = List.of("motorcycle_left.png", "motorcycle_right.png", "chelsea.png",
            "astronaut.jpg", "coffee.png", "rocket.jpg");

    @Test
    void nearDuplicatePhotosScoreClearlyHigherThanUnrelatedOnes() {
        float[][] v = new float[PHOTOS.size()][];
        for (int i = 0; i < PHOTOS.size(); i++) {
            v[i] = upload(PHOTOS.get(i));
        }
        double pair = Vectors.cosine(v[0], v[1]);
        double bestUnrelated = 0;
        for (int i = 0; i < v.length; i++) {
            for (int j = i + 1; j < v.length; j++) {
                if (!(i == 0 && j == 1)) {
                    bestUnrelated = Math.max(bestUnrelated, Vectors.cosine(v[i], v[j]));
                }
            }
        }
        System.out.printf("stereo pair cosine %.4f, best unrelated pair %.4f%n", pair, bestUnrelated);
        assertTrue(pair > 0.9, "near-duplicate pair " + pair);
        assertTrue(pair - bestUnrelated > 0.1, "pair " + pair + " vs best unrelated " + bestUnrelated);
    }

    @Test
    void base64DataUriAndLambdaGiveTheSameVectorAsTheUpload() {
        float[] uploaded = upload("chelsea.png");
        String dataUri = "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes("chelsea.png"));
        List<Float> viaOpenAi = http().body(Map.of("model", "mobilenet-v2-nsfwjs", "input", List.of(dataUri)))
                .post("/v1/embeddings").then().statusCode(200)
                .body("data[0].embedding", hasSize(1280)).extract().jsonPath().getList("data[0].embedding", Float.class);
        OpenAiEmbeddingsResourceTest.assertClose(uploaded, viaOpenAi);

        List<Float> viaLambda = lambda().body(Map.of("images", List.of(Base64.getEncoder().encodeToString(bytes("chelsea.png")))))
                .post("/_lambda_").then().statusCode(200).body("model", equalTo("mobilenet-v2-nsfwjs"))
                .extract().jsonPath().getList("embeddings[0]", Float.class);
        OpenAiEmbeddingsResourceTest.assertClose(uploaded, viaLambda);
    }

    @Test
    void anEarlierLayerCanBePooled() {
        http().contentType("image/png").body(bytes("coffee.png")).queryParam("layers", 0).post("/embed-image")
                .then().statusCode(200).body("dimension", equalTo(96)).body("embedding", hasSize(96));
    }

    @Test
    void badImagesGetClearErrors() {
        byte[] png = bytes("chelsea.png");
        http().contentType("image/png").body("not an image".getBytes()).post("/embed-image")
                .then().statusCode(400).body("type", equalTo("invalid_input")).body("error", containsString("image 0"));
        http().contentType("image/png").body(Arrays.copyOf(png, png.length / 2)).post("/embed-image")
                .then().statusCode(400).body("error", containsString("truncated"));
        http().body(Map.of("model", "mobilenet-v2-nsfwjs", "input", List.of("https://example.org/cat.png")))
                .post("/v1/embeddings").then().statusCode(400).body("error.message", containsString("never fetched"));
        http().body(Map.of("model", "mobilenet-v2-nsfwjs", "input", List.of("%%%not base64")))
                .post("/v1/embeddings").then().statusCode(400).body("error.message", containsString("not valid base64"));
        http().body(Map.of("model", "mobilenet-v2-nsfwjs", "inputs", List.of("a cat"))).post("/tokenize")
                .then().statusCode(400).body("error", containsString("embeds images, not text"));
        http().body(Map.of("model", "all-minilm-l6-v2", "images", List.of(Base64.getEncoder().encodeToString(png))))
                .post("/embeddings").then().statusCode(400).body("error", containsString("embeds text, not images"));
        http().contentType("image/png").body(png).queryParam("pooling", "cls").post("/embed-image")
                .then().statusCode(400).body("error", containsString("no class token"));
        // Still serving.
        http().contentType(ContentType.BINARY).body(png).post("/embed-image").then().statusCode(200);
    }

    private static float[] upload(String photo) {
        List<Float> v = http().contentType("image/" + (photo.endsWith(".jpg") ? "jpeg" : "png")).body(bytes(photo))
                .post("/embed-image").then().statusCode(200)
                .body("model", equalTo("mobilenet-v2-nsfwjs")).body("dimension", equalTo(1280))
                .extract().jsonPath().getList("embedding", Float.class);
        return OpenAiEmbeddingsResourceTest.toArray(v);
    }

    static byte[] bytes(String photo) {
        try (InputStream in = ImageEmbeddingTest.class.getResourceAsStream("/images/" + photo)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
