package dev.embedder.api.s3;

import static dev.embedder.api.s3.S3Events.event;
import static dev.embedder.testing.Http.http;
import static dev.embedder.testing.Http.lambda;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.testing.S3ProxyResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@code embed-s3} end to end against a real S3 API (S3Proxy): objects are uploaded, the S3 event is posted
 * to the mock Lambda event server (or to {@code POST /embed-s3}), and the written JSON is read back from S3.
 * The reference vectors come from {@code POST /embed-image} with the same bytes.
 */
@QuarkusTest
@TestProfile(S3FunctionProfile.class)
// This class restarts Quarkus under its own profile anyway, so S3Proxy is kept to it and the other tests
// do not pay for a process they never use.
@QuarkusTestResource(value = S3ProxyResource.class, restrictToAnnotatedClass = true)
class S3EmbedFunctionTest {

    private static final String BUCKET = S3FunctionProfile.BUCKET;
    private static final double TOLERANCE = 1e-5;

    @Inject
    S3Client s3;

    @BeforeEach
    void buckets() {
        for (String bucket : List.of(BUCKET, S3FunctionProfile.OTHER_ALLOWED_BUCKET, S3FunctionProfile.FORBIDDEN_BUCKET)) {
            try {
                s3.createBucket(b -> b.bucket(bucket));
            } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException alreadyThere) {
                // created by an earlier test
            }
        }
    }

    @Test
    void lambdaEventEmbedsTheObjectAndWritesTheVectorBackToS3() {
        String key = "cats/my cat ä.png";
        byte[] png = resource("chelsea.png");
        put(BUCKET, key, png);

        JsonPath result = lambda().body(event().put(BUCKET, key, png.length).build()).post("/_lambda_")
                .then().statusCode(200)
                .body("kind", equalTo("s3"))
                .body("processed", equalTo(1)).body("failed", equalTo(0))
                .body("records[0].status", equalTo("ok"))
                .body("records[0].key", equalTo(key))
                .extract().jsonPath();
        assertEquals("s3://images/embeddings/cats/my cat ä.png.json", result.getString("records[0].output"));
        assertNull(result.get("records[0].error"));

        JsonPath doc = JsonPath.from(read(BUCKET, "embeddings/" + key + ".json"));
        assertEquals("mobilenet-v2-nsfwjs", doc.getString("model"));
        assertEquals(1280, doc.getInt("dimension"));
        assertClose(embedImage(png, "image/png"), floats(doc.getList("embedding", Float.class)));
        assertEquals(BUCKET, doc.getString("source.bucket"));
        assertEquals(key, doc.getString("source.key"));
        assertEquals(png.length, doc.getLong("source.size"));
        assertEquals(s3.headObject(b -> b.bucket(BUCKET).key(key)).eTag().replace("\"", ""), doc.getString("source.eTag"));
        assertFalse(doc.getMap("source").containsKey("versionId"), "unversioned bucket: no versionId");
        assertEquals("0055AED6DCD90281E5", doc.getString("source.sequencer"), "the event's sequencer is recorded");
        assertEquals(S3Events.EVENT_TIME, doc.getString("createdAt"));
    }

    @Test
    void oneBatchEmbedsTheGoodRecordsAndReportsEachBadOne() {
        byte[] motorcycle = resource("motorcycle_left.png");
        byte[] astronaut = resource("astronaut.jpg");
        byte[] text = "these are notes, not a picture".getBytes(StandardCharsets.UTF_8);
        put(BUCKET, "batch/motorcycle.png", motorcycle);
        put(BUCKET, "batch/notes.png", text);
        put(S3FunctionProfile.OTHER_ALLOWED_BUCKET, "batch/astronaut.jpg", astronaut);
        put(S3FunctionProfile.FORBIDDEN_BUCKET, "batch/secret.png", motorcycle);

        Map<String, Object> batch = event()
                .put(BUCKET, "batch/motorcycle.png", motorcycle.length)
                .put(BUCKET, "batch/notes.png", text.length)
                .put(BUCKET, "batch/missing.png", 1234)
                .put(S3FunctionProfile.FORBIDDEN_BUCKET, "batch/secret.png", motorcycle.length)
                .put(S3FunctionProfile.OTHER_ALLOWED_BUCKET, "batch/astronaut.jpg", astronaut.length)
                .build();
        JsonPath result = lambda().body(batch).post("/_lambda_").then().statusCode(200)
                .body("processed", equalTo(2)).body("failed", equalTo(3)).body("skipped", equalTo(0))
                .extract().jsonPath();

        assertOutcome(result, 0, "ok", null);
        assertOutcome(result, 1, "error", "invalid_input");
        assertOutcome(result, 2, "error", "not_found");
        assertOutcome(result, 3, "error", "bucket_not_allowed");
        assertOutcome(result, 4, "ok", null);
        assertTrue(result.getString("records[2].error").contains("batch/missing.png"), result.prettify());
        assertTrue(result.getString("records[3].error").contains("allowed-buckets"), result.prettify());

        // After the bad image dropped out of the batch, each vector still belongs to its own object.
        assertClose(embedImage(motorcycle, "image/png"),
                floats(JsonPath.from(read(BUCKET, "embeddings/batch/motorcycle.png.json")).getList("embedding", Float.class)));
        assertClose(embedImage(astronaut, "image/jpeg"), floats(JsonPath.from(
                read(S3FunctionProfile.OTHER_ALLOWED_BUCKET, "embeddings/batch/astronaut.jpg.json")).getList("embedding", Float.class)));
        assertFalse(exists(BUCKET, "embeddings/batch/notes.png.json"));
        assertFalse(exists(S3FunctionProfile.FORBIDDEN_BUCKET, "embeddings/batch/secret.png.json"));
    }

    @Test
    void redeliveryRewritesTheSameBytes() {
        byte[] png = resource("coffee.png");
        put(BUCKET, "again/coffee.png", png);
        Map<String, Object> once = event().put(BUCKET, "again/coffee.png", png.length).build();

        lambda().body(once).post("/_lambda_").then().statusCode(200).body("processed", equalTo(1));
        String first = read(BUCKET, "embeddings/again/coffee.png.json");
        lambda().body(once).post("/_lambda_").then().statusCode(200).body("processed", equalTo(1));
        String second = read(BUCKET, "embeddings/again/coffee.png.json");

        assertEquals(first, second);
        assertEquals(1, s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("embeddings/again/")).keyCount());
    }

    @Test
    void keysUnderTheOutputPrefixAreSkippedToAvoidATriggerLoop() {
        String output = "embeddings/loop/x.png.json";
        put(BUCKET, output, "{}".getBytes(StandardCharsets.UTF_8));

        JsonPath result = lambda().body(event().put(BUCKET, output, 2).build()).post("/_lambda_")
                .then().statusCode(200).body("processed", equalTo(0)).body("failed", equalTo(0))
                .body("skipped", equalTo(1)).extract().jsonPath();
        assertOutcome(result, 0, "skipped", "output_prefix");
        assertFalse(exists(BUCKET, "embeddings/" + output + ".json"));
    }

    @Test
    void objectSizeIsCheckedFromTheEventAndFromS3BeforeReading() {
        byte[] big = new byte[(int) S3FunctionProfile.MAX_OBJECT_BYTES + 1];
        new Random(7).nextBytes(big);
        put(BUCKET, "big/noise.png", big);

        JsonPath result = lambda().body(event()
                        .put(BUCKET, "big/noise.png", big.length)  // the event tells the truth
                        .put(BUCKET, "big/noise.png", 10)          // the event understates; Content-Length does not
                        .build())
                .post("/_lambda_").then().statusCode(200).body("failed", equalTo(2)).extract().jsonPath();
        assertOutcome(result, 0, "error", "input_too_large");
        assertOutcome(result, 1, "error", "input_too_large");
        assertTrue(result.getString("records[1].error").contains(Integer.toString(big.length)), result.prettify());
    }

    @Test
    void onlyAnEventWithoutRecordsFailsTheInvocation() {
        lambda().body(Map.of("Records", List.of())).post("/_lambda_")
                .then().statusCode(500).body(containsString("Records"));
        lambda().body(Map.of("Service", "Amazon S3", "Event", "s3:TestEvent", "Bucket", BUCKET)).post("/_lambda_")
                .then().statusCode(200).body("kind", equalTo("s3-test-event")).body("processed", equalTo(0))
                .body("records.size()", equalTo(0));
        lambda().body(event().record("ObjectRemoved:Delete", BUCKET, "gone.png", 0).build()).post("/_lambda_")
                .then().statusCode(200).body("skipped", equalTo(1)).body("records[0].errorType", equalTo("event_ignored"));
    }

    @Test
    void theSameFunctionAnswersOverHttp() {
        byte[] jpg = resource("rocket.jpg");
        put(BUCKET, "http/rocket launch.jpg", jpg);
        http().body(event().put(BUCKET, "http/rocket launch.jpg", jpg.length).build()).post("/embed-s3")
                .then().statusCode(200).body("processed", equalTo(1))
                .body("records[0].output", equalTo("s3://images/embeddings/http/rocket launch.jpg.json"));
        assertClose(embedImage(jpg, "image/jpeg"), floats(JsonPath.from(
                read(BUCKET, "embeddings/http/rocket launch.jpg.json")).getList("embedding", Float.class)));

        // An unusable event gets the service's JSON error body and a 400, not Funqy's bare 500.
        http().body(Map.of("Records", List.of())).post("/embed-s3")
                .then().statusCode(400).body("type", equalTo("invalid_input"));
    }

    @Test
    void theSameFunctionAnswersACloudEvent() {
        byte[] png = resource("coffee.png");
        put(BUCKET, "ce/coffee cup.png", png);
        // Knative Eventing delivers to the service root; the event type names the function.
        http().header("ce-specversion", "1.0").header("ce-id", "s3-1").header("ce-type", "embed-s3")
                .header("ce-source", "test").body(event().put(BUCKET, "ce/coffee cup.png", png.length).build())
                .post("/").then().statusCode(200).header("ce-type", "embed-s3.output")
                .body("processed", equalTo(1))
                .body("records[0].output", equalTo("s3://images/embeddings/ce/coffee cup.png.json"));
        assertClose(embedImage(png, "image/png"), floats(JsonPath.from(
                read(BUCKET, "embeddings/ce/coffee cup.png.json")).getList("embedding", Float.class)));
    }

    @Test
    void malformedRecordsGetPerRecordErrorsAndOddKeysWork() {
        byte[] png = resource("coffee.png");
        String plus = "odd/1+1 = two.png";
        String unicode = "odd/日本 猫/ü ñ €.png";
        put(BUCKET, plus, png);
        put(BUCKET, unicode, png);
        Map<String, Object> good = event().put(BUCKET, plus, png.length).put(BUCKET, unicode, png.length).build();
        List<Object> records = new java.util.ArrayList<>((List<?>) good.get("Records"));
        records.add(Map.of("eventName", "ObjectCreated:Put", "s3", Map.of("bucket", Map.of("name", BUCKET))));
        records.add(Map.of("eventName", "ObjectCreated:Put", "s3", Map.of()));
        records.add(Map.of("eventName", "ObjectCreated:Put", "s3", Map.of("bucket", Map.of("name", BUCKET),
                "object", Map.of("key", "odd/bad%zz.png"))));
        records.add(Map.of("eventName", "ObjectCreated:Put", "s3", Map.of("bucket", Map.of("name", BUCKET),
                "object", Map.of("key", "   "))));
        records.add(null);
        JsonPath result = lambda().body(Map.of("Records", records)).post("/_lambda_").then().statusCode(200)
                .body("processed", equalTo(2)).body("failed", equalTo(5)).extract().jsonPath();
        assertOutcome(result, 0, "ok", null);
        assertOutcome(result, 1, "ok", null);
        assertEquals("s3://images/embeddings/" + plus + ".json", result.getString("records[0].output"));
        assertEquals("s3://images/embeddings/" + unicode + ".json", result.getString("records[1].output"));
        assertTrue(exists(BUCKET, "embeddings/" + plus + ".json"));
        assertTrue(exists(BUCKET, "embeddings/" + unicode + ".json"));
        for (int i = 2; i < 7; i++) {
            assertOutcome(result, i, "error", "invalid_event");
        }
        assertTrue(result.getString("records[4].error").contains("not URL-encoded"), result.prettify());
    }

    @Test
    void eventsOfTheWrongShapeAreRefusedAsAWholeNamingTheField() {
        http().body(Map.of("Records", "nope")).post("/embed-s3").then().statusCode(400)
                .body("type", equalTo("invalid_input")).body("error", containsString("'Records'"));
        http().body(Map.of("Records", List.of(Map.of("s3", Map.of("object", Map.of("key", "a.png", "size", "big"))))))
                .post("/embed-s3").then().statusCode(400).body("error", containsString("size"));
        lambda().body(Map.of("Records", "nope")).post("/_lambda_").then().statusCode(500);
    }

    private static void assertOutcome(JsonPath result, int i, String status, String errorType) {
        String at = "records[" + i + "].";
        assertEquals(status, result.getString(at + "status"), result.prettify());
        assertEquals(errorType, result.getString(at + "errorType"), result.prettify());
        if ("ok".equals(status)) {
            assertTrue(result.getString(at + "output").startsWith("s3://"), result.prettify());
        } else {
            assertNull(result.get(at + "output"), result.prettify());
            assertFalse(result.getString(at + "error").isBlank(), result.prettify());
        }
    }

    private static float[] embedImage(byte[] image, String contentType) {
        List<Float> values = http().contentType(contentType).body(image).post("/embed-image")
                .then().statusCode(200).extract().jsonPath().getList("embedding", Float.class);
        return floats(values);
    }

    private static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, "dimension");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= TOLERANCE, "max abs difference " + worst);
    }

    private void put(String bucket, String key, byte[] bytes) {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
        } catch (java.io.UncheckedIOException staleConnection) {
            // The same pooled-connection hiccup the function retries (see TransientRetry): once more.
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
        }
    }

    private String read(String bucket, String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
    }

    private boolean exists(String bucket, String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = S3EmbedFunctionTest.class.getResourceAsStream("/images/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test image " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static float[] floats(List<Float> list) {
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }
}
