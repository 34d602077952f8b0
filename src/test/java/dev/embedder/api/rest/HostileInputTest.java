package dev.embedder.api.rest;

import static dev.embedder.testing.Http.http;
import static dev.embedder.testing.Http.lambda;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.embedder.image.CraftedImages;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and malformed input on every entry point, beyond the basics in {@link BadInputTest}: each gets a 4xx
 * (a function error naming the problem on Lambda) and the service keeps serving afterwards.
 *
 * <p>Distinct bad inputs covered across the suite, 125 in all:
 * <ul>
 *   <li>{@link BadInputTest}: 29 (empty/blank/null/wrong-typed inputs, too many, too long in characters and in
 *       tokens, unknown model, dimensions 0 and 385 and "ten", encoding_format, layers out of range, pooling,
 *       malformed and non-object JSON, TEI truncation_direction/normalize/wrong field, /tokenize and /embeddings);</li>
 *   <li>this class: 63 = {@link #badJsonRequests} 35 + raw bodies 7 (invalid UTF-8, unescaped control character,
 *       body over 6 MB, empty body, wrong content type ×2, GET on a POST route) + {@code /embed-image} 9 + Lambda 5
 *       + CloudEvents 7;</li>
 *   <li>{@code ImageEmbeddingTest.badImagesGetClearErrors}: 7; {@code ImageDecoderSafetyTest}: 13 (empty, null,
 *       noise, WBMP-like, TIFF, truncated JPEG ×3, JPEG without EOI, truncated PNG ×2, truncated GIF/BMP/WebP,
 *       PNG and GIF bombs, pixel and byte limits, zero-size GIF and PNG);</li>
 *   <li>S3 events ({@code S3EmbedFunctionTest}): 13 (record without object, without s3, key not URL-encoded, blank
 *       key, null record, Records of the wrong type, size of the wrong type, empty Records, bucket not allowed,
 *       missing object, object that is not an image, object too large by event and by Content-Length).</li>
 * </ul>
 * S3 and model faults are in {@code S3FaultTest}, {@code BrokenBundleTest} and {@code InferenceFailureTest}.
 * Images that must work rather than fail (1×1, animated GIF, CMYK JPEG, 16-bit PNG) are checked here too.
 */
@QuarkusTest
class HostileInputTest {

    private static final String IMAGE_MODEL = "mobilenet-v2-nsfwjs";

    static Stream<Arguments> badJsonRequests() {
        String hugeArray = "[" + "\"a\",".repeat(99_999) + "\"a\"]";
        String deepArray = "[".repeat(1500) + "]".repeat(1500);
        return Stream.of(
                // route, body, status, error type, words the message must contain
                Arguments.of("/v1/embeddings", "{\"input\": \"\\ud800\"}", 400, "invalid_input", "unpaired surrogate U+D800"),
                Arguments.of("/v1/embeddings", "{\"input\": [\"ok\", \"a\\udfffb\"]}", 400, "invalid_input", "input 1 is not valid Unicode"),
                Arguments.of("/v1/embeddings", "{\"input\": null}", 400, "invalid_input", "'input' is required"),
                Arguments.of("/v1/embeddings", "{\"input\": " + hugeArray + "}", 413, "input_too_large", "100000"),
                Arguments.of("/v1/embeddings", "{\"input\": " + deepArray + "}", 400, "invalid_json", "nesting depth"),
                Arguments.of("/v1/embeddings", "{\"input\": \"hi\", \"model\": [\"a\"]}", 400, "invalid_json", "'model'"),
                Arguments.of("/v1/embeddings", "{\"input\": \"hi\", \"model\": 5}", 404, "unknown_model", "unknown model '5'"),
                Arguments.of("/v1/embeddings", "{\"input\": \"hi\", \"normalize\": \"maybe\"}", 400, "invalid_json", "'normalize'"),
                Arguments.of("/v1/embeddings", "{\"input\": \"hi\", \"truncate\": \"yes\"}", 400, "invalid_json", "'truncate'"),
                Arguments.of("/v1/embeddings", "{\"input\": \"hi\", \"layers\": \"last\"}", 400, "invalid_json", "'layers'"),
                Arguments.of("/v1/embeddings", "{\"input\": \"hi\", \"layers\": [null]}", 400, "invalid_input", "layers must be integers"),
                Arguments.of("/v1/embeddings", "{\"input\": \"hi\", \"dimensions\": -5}", 400, "invalid_input", "between 1 and 384"),
                Arguments.of("/v1/embeddings", "{\"input\": \"hi\", \"dimensions\": 99999999999}", 400, "invalid_json", "out of range of int"),
                Arguments.of("/v1/embeddings", "{\"input\": \"hi\", \"pooling\": 3}", 400, "invalid_input", "unknown pooling '3'"),
                Arguments.of("/v1/embeddings", "{\"input\": \"hi\", \"model\": \"" + IMAGE_MODEL + "\"}", 400, "invalid_input", "image 0"),
                Arguments.of("/v1/embeddings", "{\"input\": [\"data:image/png;base64,!!!!\"], \"model\": \"" + IMAGE_MODEL + "\"}", 400, "invalid_input", "not valid base64"),
                Arguments.of("/v1/embeddings", "{\"input\": [\"file:///etc/passwd\"], \"model\": \"" + IMAGE_MODEL + "\"}", 400, "invalid_input", "never fetched"),
                Arguments.of("/v1/embeddings", "", 400, "invalid_input", "request body is required"),
                Arguments.of("/embed", "{\"inputs\": null}", 400, "invalid_input", "'inputs' is required"),
                Arguments.of("/embed", "{\"inputs\": \"\\udbff\"}", 400, "invalid_input", "not valid Unicode"),
                Arguments.of("/embed", "{\"inputs\": \"hi\", \"dimensions\": -1}", 400, "invalid_input", "between 1 and 384"),
                Arguments.of("/embed", "{\"inputs\": \"hi\", \"layers\": [99]}", 400, "invalid_input", "layer 99 is out of range"),
                Arguments.of("/embed", "{\"inputs\": \"hi\", \"pooling\": \"sum\"}", 400, "invalid_input", "unknown pooling 'sum'"),
                Arguments.of("/embed", "{\"inputs\": \"hi\", \"prompt_name\": \"query\"}", 400, "invalid_input", "prompt_name"),
                Arguments.of("/embed", "{\"inputs\": \"hi\", \"model\": \"nope\"}", 404, "unknown_model", "unknown model 'nope'"),
                Arguments.of("/tokenize", "{\"inputs\": \"\\ud800\"}", 400, "invalid_input", "not valid Unicode"),
                Arguments.of("/tokenize", "{\"inputs\": \"" + "x".repeat(200_001) + "\"}", 413, "input_too_large", "200000"),
                Arguments.of("/tokenize", "{\"inputs\": \"hi\", \"add_special_tokens\": \"x\"}", 400, "invalid_json", "'add_special_tokens'"),
                Arguments.of("/tokenize", "{\"inputs\": \"hi\", \"model\": \"nope\"}", 404, "unknown_model", "unknown model 'nope'"),
                Arguments.of("/embeddings", "{\"inputs\": \"hi\"}", 400, "invalid_json", "'inputs'"),
                Arguments.of("/embeddings", "{\"inputs\": [\"hi\"], \"dimensions\": \"x\"}", 400, "invalid_json", "'dimensions'"),
                Arguments.of("/embeddings", "{\"inputs\": [\"hi\"", 400, "invalid_json", "not valid JSON"),
                Arguments.of("/embeddings", "{\"inputs\": [\"a\", null]}", 400, "invalid_input", "input 1 is null"),
                Arguments.of("/embeddings", "{\"inputs\": [\"hi\"], \"images\": [\"x\"]}", 400, "invalid_input", "not both"),
                Arguments.of("/embeddings", "{\"images\": [\"data:image/png,abc\"]}", 400, "invalid_input", "without ';base64,'"));
    }

    @ParameterizedTest
    @MethodSource("badJsonRequests")
    void badJsonGetsAClearError(String route, String body, int status, String type, String words) {
        expectError(route, http().body(body).post(route).then(), status, type, words);
    }

    @Test
    void brokenBytesAndWrongFramingGetClearErrors() {
        byte[] invalidUtf8 = "{\"input\": \"a\u0000b\"}".getBytes(StandardCharsets.ISO_8859_1);
        invalidUtf8[12] = (byte) 0xFF;
        expectError("/v1/embeddings", http().body(invalidUtf8).post("/v1/embeddings").then(), 400, "invalid_json",
                "Invalid UTF-8");
        expectError("/v1/embeddings", http().body("{\"input\": \"a\u0001b\"}").post("/v1/embeddings").then(), 400,
                "invalid_json", "CTRL-CHAR");
        expectError("/v1/embeddings", http().contentType("text/plain").body("{\"input\": \"hi\"}").post("/v1/embeddings")
                .then(), 415, "http_error", "content-type");
        expectError("/embed-image", http().contentType("text/plain").body("abc").post("/embed-image").then(), 415,
                "http_error", "content-type");
        http().get("/v1/embeddings").then().statusCode(405);
    }

    /** Content-Length 0 once held a worker thread forever on the REST routes (see EmptyBodyGuard). */
    @Test
    void emptyBodiesAreRefusedOnEveryRoute() {
        for (String route : List.of("/v1/embeddings", "/embed", "/tokenize", "/embeddings", "/embed-s3", "/")) {
            expectError(route, RestAssured.given().port(dev.embedder.testing.Http.port()).contentType("application/json")
                    .body(new byte[0]).post(route).then(), 400, "invalid_input", "request body is required");
        }
        expectError("/embed-image", RestAssured.given().port(dev.embedder.testing.Http.port()).contentType("image/png")
                .body(new byte[0]).post("/embed-image").then(), 400, "invalid_input", "request body is required");
    }

    /**
     * Over quarkus.http.limits.max-body-size (6M, Lambda's payload limit): Vert.x refuses while reading the body,
     * before any resource runs; BodyTooLargeErrors gives that 413 the usual JSON error body.
     */
    @Test
    void bodiesOverSixMegabytesAreRefusedWith413() {
        String big = "{\"input\": \"" + "a ".repeat(3_200_000) + "\"}";
        for (String route : List.of("/v1/embeddings", "/embeddings", "/embed")) {
            expectError(route, http().body(big).post(route).then(), 413, "input_too_large", "larger than 6M");
        }
        expectError("/embed-image", http().contentType("image/png").body(new byte[6_400_000]).post("/embed-image")
                .then(), 413, "input_too_large", "max-body-size");
    }

    @Test
    void controlCharactersWhenEscapedAreJustText() {
        http().body("{\"input\": [\"tab\\tnew\\nline\\u0000nul\\u0007bell\", \"\\u200b\\ufeffzero width\"]}")
                .post("/v1/embeddings").then().statusCode(200).body("data", hasSize(2));
    }

    @Test
    void imageUploadsWithBadOptionsOrBytesGetClearErrors() {
        byte[] png = CraftedImages.encode(CraftedImages.solid(8, 8, 0x336699), "png");
        expectError("/embed-image", upload(png, "dimensions=abc"), 400, "invalid_input", "'dimensions' must be an integer");
        expectError("/embed-image", upload(png, "layers=last"), 400, "invalid_input", "'layers' must be an integer");
        expectError("/embed-image", upload(png, "normalize=maybe"), 400, "invalid_input", "'normalize' must be true or false");
        expectError("/embed-image", upload(png, "dimensions=-3"), 400, "invalid_input", "between 1 and 1280");
        expectError("/embed-image", upload(png, "model=all-minilm-l6-v2"), 400, "invalid_input", "embeds text, not images");
        expectError("/embed-image", upload(png, "model=nope"), 404, "unknown_model", "unknown model 'nope'");
        expectError("/embed-image", upload(CraftedImages.pngWithHeader(100_000, 100_000), ""), 413, "input_too_large",
                "100000x100000");
        expectError("/embed-image", upload(CraftedImages.gifWithHeader(0, 0), ""), 400, "invalid_input", "zero size");
        byte[] jpeg = golden("exif6_120x80.jpg");
        expectError("/embed-image", upload(Arrays.copyOf(jpeg, jpeg.length / 2), ""), 400, "invalid_input",
                "truncated or corrupt (JPEG)");
    }

    @Test
    void unusualButValidImagesWork() {
        for (String format : List.of("png", "jpeg", "gif", "bmp")) {
            upload(CraftedImages.encode(CraftedImages.solid(1, 1, 0x808080), format), "").statusCode(200)
                    .body("embedding", hasSize(1280));
        }
        for (String name : List.of("animated_70x50.gif", "cmyk_96x64.jpg", "rgb16_64x48.png", "palette_80x60.png")) {
            upload(golden(name), "").statusCode(200).body("embedding", hasSize(1280));
        }
    }

    /** On Lambda a bad event is a function error (the mock server answers 500) whose message names the problem. */
    @Test
    void lambdaFunctionErrorsNameTheProblem() {
        lambda().body(Map.of("inputs", List.of())).post("/_lambda_").then().statusCode(500)
                .body(containsString("at least one text"));
        lambda().body("{\"inputs\": [\"\\ud800\"]}").post("/_lambda_").then().statusCode(500)
                .body(containsString("not valid Unicode"));
        lambda().body(Map.of("images", List.of("%%%"))).post("/_lambda_").then().statusCode(500)
                .body(containsString("not valid base64"));
        lambda().body(Map.of("inputs", List.of("x"), "dimensions", 9999)).post("/_lambda_").then().statusCode(500)
                .body(containsString("dimensions must be between 1 and 384"));
        lambda().body(Map.of("images", List.of(Base64.getEncoder().encodeToString(
                CraftedImages.pngWithHeader(100_000, 100_000))))).post("/_lambda_").then().statusCode(500)
                .body(containsString("over the limit"));
    }

    @Test
    void cloudEventsThatAreNotUsableGetClearErrors() {
        expectError("/", http().header("ce-type", "embeddings").body("{\"inputs\": [\"hi\"]}").post("/").then(), 400,
                "invalid_input", "not a CloudEvent");
        expectError("/", ce("nope", "1.0").body("{\"inputs\": [\"hi\"]}").post("/").then(), 400, "invalid_input",
                "unknown CloudEvent type 'nope'");
        expectError("/", ce("embeddings", "0.3").body("{\"inputs\": [\"hi\"]}").post("/").then(), 400, "invalid_input",
                "specversion");
        expectError("/", ce("embeddings", "1.0").body("{\"inputs\": 5}").post("/").then(), 400, "invalid_input",
                "does not fit");
        expectError("/", ce("embeddings", "1.0").body("{\"inputs\": [").post("/").then(), 400, "invalid_json",
                "not valid JSON");
        String structured = "application/cloudevents+json";
        expectError("/", http().contentType(structured).body("[1]").post("/").then(), 400, "invalid_input",
                "must be a JSON object");
        expectError("/", http().contentType(structured).body(Map.of("specversion", "1.0", "type", "embeddings",
                "id", "1", "source", "test")).post("/").then(), 400, "invalid_input", "has no data");
    }

    @Test
    void authorizationHeadersAreIgnoredWhileNoKeyIsConfigured() {
        http().header("Authorization", "Bearer anything").body("{\"input\": \"hi\"}").post("/v1/embeddings")
                .then().statusCode(200);
    }

    @AfterAll
    static void stillServing() {
        http().body("{\"input\": [\"first\", \"second\"]}").post("/v1/embeddings").then().statusCode(200)
                .body("data", hasSize(2));
        http().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    private static void expectError(String route, ValidatableResponse response, int status, String type, String words) {
        response.statusCode(status);
        if (route.startsWith("/v1/")) {
            response.body("error.type", equalTo(type)).body("error.message", containsString(words));
        } else {
            response.body("type", equalTo(type)).body("error", containsString(words));
        }
    }

    private static ValidatableResponse upload(byte[] image, String query) {
        return http().contentType("application/octet-stream").body(image)
                .post("/embed-image" + (query.isEmpty() ? "" : "?" + query)).then();
    }

    private static io.restassured.specification.RequestSpecification ce(String type, String specVersion) {
        return http().header("ce-specversion", specVersion).header("ce-id", "1").header("ce-type", type)
                .header("ce-source", "test");
    }

    private static byte[] golden(String name) {
        try (InputStream in = HostileInputTest.class.getResourceAsStream("/golden/images/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
