package dev.embedder.api.openapi;

import static dev.embedder.testing.Http.http;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The served OpenAPI document against the server's real behaviour: real responses of every documented operation,
 * successes and errors, are validated (JSON Schema 2020-12, which OpenAPI 3.1 schemas are) against the schema the
 * document gives for that path, method, status and content type, and every documented operation is exercised.
 */
@QuarkusTest
class OpenApiConformanceTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static JsonNode document;
    private final Set<String> exercised = new HashSet<>();

    @BeforeAll
    static void load() throws Exception {
        document = MAPPER.readTree(http().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
    }

    @Test
    void everyOperationAnswersAsDocumented() throws Exception {
        String png = "data:image/png;base64," + Base64.getEncoder().encodeToString(png());

        Map<String, Object> s3Event = Map.of("Records", List.of(Map.of("eventSource", "aws:s3", "eventName",
                "ObjectCreated:Put", "s3", Map.of("bucket", Map.of("name", "not-allowed"), "object",
                        Map.of("key", "cat.jpg", "size", 10)))));
        check("post", "/v1/embeddings", 200, () -> http().body(Map.of("input", List.of("a cat", "a dog"))));
        check("post", "/v1/embeddings", 200, () -> http().body(Map.of("input", "a cat", "encoding_format", "base64")));
        check("post", "/v1/embeddings", 200, () -> http().body(Map.of("input", List.of(png), "model", "mobilenet-v2-nsfwjs")));
        check("post", "/v1/embeddings", 400, () -> http().body(Map.of("input", List.of(""))));
        check("post", "/v1/embeddings", 404, () -> http().body(Map.of("input", "x", "model", "nope")));
        check("get", "/v1/models", 200, () -> http());
        check("post", "/embed", 200, () -> http().body(Map.of("inputs", List.of("a cat"))));
        check("post", "/embed", 400, () -> http().body("{\"inputs\": 5"));
        check("post", "/embed", 413, () -> http().body(Map.of("inputs", java.util.Collections.nCopies(513, "x"))));
        check("post", "/tokenize", 200, () -> http().body(Map.of("inputs", "What is Deep Learning?")));
        check("get", "/info", 200, () -> http());
        byte[] pngBytes = png();
        check("post", "/embed-image", 200, () -> http().contentType("image/png").body(pngBytes));
        check("post", "/embed-image", 400, () -> http().contentType("image/png").body(new byte[] {1, 2, 3}));
        check("post", "/embeddings", 200, () -> http().body(Map.of("inputs", List.of("a cat"))));
        check("post", "/embeddings", 200, () -> http().body(Map.of("images", List.of(png))));
        check("post", "/embeddings", 400, () -> http().body(Map.of("inputs", List.of())));
        check("post", "/embed-s3", 200, () -> http().body(s3Event));
        check("post", "/embed-s3", 400, () -> http().body(Map.of("Records", List.of())));
        check("post", "/", 200, () -> http().header("ce-specversion", "1.0").header("ce-type", "embeddings")
                .header("ce-id", "1").header("ce-source", "test").body(Map.of("inputs", List.of("a cat"))));
        check("post", "/", 422, () -> http().header("ce-specversion", "1.0").header("ce-type", "embed-s3")
                .header("ce-id", "2").header("ce-source", "test").body(s3Event));
        check("post", "/", 200, () -> http().contentType("application/cloudevents+json").body(Map.of("specversion", "1.0",
                "type", "embeddings", "id", "3", "source", "test", "data", Map.of("inputs", List.of("a cat")))));
        check("post", "/", 200, () -> http().body(Map.of("inputs", List.of("a cat"))));
        check("post", "/", 400, () -> http().header("ce-specversion", "1.0").body(Map.of("inputs", List.of("a cat"))));
        check("post", "/embed_all", 200, () -> http().body(Map.of("inputs", List.of("a cat", "good morning"))));
        check("post", "/embed_all", 400, () -> http().body(Map.of("inputs", List.of(""))));
        check("post", "/similarity", 200, () -> http().body(Map.of("inputs", Map.of("source_sentence", "a cat",
                "sentences", List.of("a kitten", "a car")))));

        List<String> missing = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext();) {
            var path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (!exercised.contains(method + " " + path.getKey())) {
                    missing.add(method + " " + path.getKey());
                }
            });
        }
        assertEquals(List.of(), missing, "documented operations this test does not exercise");
    }

    @Test
    void documentDescribesErrorsTimingHeadersAndExamples() {
        JsonNode embeddings = document.at("/paths/~1v1~1embeddings/post");
        assertEquals("#/components/schemas/OpenAiError",
                embeddings.at("/responses/400/content/application~1json/schema/$ref").asText());
        assertEquals("#/components/schemas/Error",
                document.at("/paths/~1embed/post/responses/429/content/application~1json/schema/$ref").asText());
        for (String header : List.of("x-tokenization-time", "x-queue-time", "x-inference-time", "x-total-time")) {
            assertTrue(embeddings.at("/responses/200/headers").has(header), header);
        }
        assertTrue(embeddings.at("/requestBody/content/application~1json/examples/texts/value/input").isArray());
        assertTrue(document.at("/paths/~1embeddings/post/requestBody/content/application~1json/examples").size() > 0);
    }

    private void check(String method, String path, int status, Supplier<RequestSpecification> request) throws Exception {
        exercised.add(method + " " + path);
        Response response = method.equals("get") ? request.get().get(path) : request.get().post(path);
        assertEquals(status, response.statusCode(), method + " " + path + ": " + response.asString());
        String mediaType = response.contentType().split(";")[0].trim();
        JsonNode operation = document.get("paths").get(path).get(method);
        assertNotNull(operation, method + " " + path + " is not in the document");
        JsonNode documented = operation.get("responses").get(Integer.toString(status));
        assertNotNull(documented, method + " " + path + " " + status + " is not documented");
        JsonNode schema = documented.path("content").path(mediaType).get("schema");
        assertNotNull(schema, method + " " + path + " " + status + " documents no schema for " + mediaType);
        ObjectNode root = schema.deepCopy();
        root.set("components", document.get("components"));
        List<Error> errors = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(MAPPER.writeValueAsString(root), InputFormat.JSON)
                .validate(response.asString(), InputFormat.JSON);
        assertEquals(List.of(), errors.stream().map(Error::toString).toList(),
                method + " " + path + " " + status + " does not match its schema: " + abbreviate(response.asString()));
        if (status == 200) {
            documented.path("headers").fieldNames().forEachRemaining(header -> assertNotNull(response.getHeader(header),
                    method + " " + path + " lacks documented header " + header));
        }
    }

    private static String abbreviate(String body) {
        return body.length() > 400 ? body.substring(0, 400) + "..." : body;
    }

    private static byte[] png() throws Exception {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 3, 0xff0000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
