package dev.embedder.api.s3;

import static dev.embedder.api.s3.AwsEvents.json;
import static dev.embedder.api.s3.S3Events.event;
import static dev.embedder.testing.Http.http;
import static dev.embedder.testing.Http.lambda;
import static dev.embedder.testing.S3Objects.bytes;
import static dev.embedder.testing.S3Objects.exists;
import static dev.embedder.testing.S3Objects.put;
import static dev.embedder.testing.S3Objects.resource;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embedder.config.EmbedderConfig;
import dev.embedder.s3.BatchEmbedder;
import dev.embedder.s3.ObjectReader;
import dev.embedder.s3.OutputWriter;
import dev.embedder.s3.RecordGate;
import dev.embedder.s3.S3Pipeline;
import dev.embedder.service.ModelRegistry;
import dev.embedder.testing.S3Objects;
import dev.embedder.testing.S3ProxyResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Every intake of {@code embed-s3} against a real S3 API (S3Proxy), each with a mix of good, missing, not-an-image,
 * too-large and refused objects (the bucket is not on the allow list; S3's own 403 is S3FaultTest's), checking each
 * record's fate in the function's answer and the outputs written. Transient failures are injected as S3 would
 * report throttling (503 SlowDown) through a client wrapper. Event shapes: {@link AwsEvents}, {@link S3Events}.
 */
@QuarkusTest
@TestProfile(S3FunctionProfile.class)
@QuarkusTestResource(value = S3ProxyResource.class, restrictToAnnotatedClass = true)
class S3IntakesTest {

    private static final String BUCKET = S3FunctionProfile.BUCKET;
    private static final String FORBIDDEN = S3FunctionProfile.FORBIDDEN_BUCKET;

    @Inject
    S3Client s3;
    @Inject
    ObjectMapper mapper;
    @Inject
    RecordGate gate;
    @Inject
    BatchEmbedder embedder;
    @Inject
    ModelRegistry registry;
    @Inject
    EmbedderConfig config;

    private byte[] png;
    private byte[] jpg;

    @BeforeEach
    void objects() {
        S3Objects.buckets(s3, List.of(BUCKET, S3FunctionProfile.OTHER_ALLOWED_BUCKET, FORBIDDEN));
        png = resource("coffee.png");
        jpg = resource("rocket.jpg");
    }

    /** Puts the usual mix under {@code prefix}: good.png, sns cat.png, notes.png (text), big.png; none for missing. */
    private void putMix(String prefix) {
        put(s3, BUCKET, prefix + "good.png", png);
        put(s3, BUCKET, prefix + "sns cat.jpg", jpg);
        put(s3, BUCKET, prefix + "notes.png", "meeting notes, not a picture".getBytes(StandardCharsets.UTF_8));
        byte[] big = new byte[(int) S3FunctionProfile.MAX_OBJECT_BYTES + 1];
        new Random(3).nextBytes(big);
        put(s3, BUCKET, prefix + "big.png", big);
        put(s3, FORBIDDEN, prefix + "secret.png", png);
    }

    private static String notification(String bucket, String key, long size) {
        return json(event().put(bucket, key, size).build());
    }

    @Test
    void sqsBatchReportsEveryObjectAndAcknowledgesPermanentFailures() {
        String p = "sqs/";
        putMix(p);
        List<Map<String, Object>> messages = List.of(
                AwsEvents.sqsMessage("m-good", notification(BUCKET, p + "good.png", png.length)),
                AwsEvents.sqsMessage("m-missing", notification(BUCKET, p + "missing.png", 10)),
                AwsEvents.sqsMessage("m-text", notification(BUCKET, p + "notes.png", 28)),
                AwsEvents.sqsMessage("m-big", notification(BUCKET, p + "big.png", 10)),
                AwsEvents.sqsMessage("m-denied", notification(FORBIDDEN, p + "secret.png", png.length)),
                AwsEvents.sqsMessage("m-sns", AwsEvents.snsEnvelope("sns-1", notification(BUCKET, p + "sns cat.jpg",
                        jpg.length))),
                AwsEvents.sqsMessage("m-test", json(Map.of("Service", "Amazon S3", "Event", "s3:TestEvent",
                        "Time", "2024-05-01T12:00:00.000Z", "Bucket", BUCKET, "RequestId", "5582815E1AEA5ADF",
                        "HostId", "8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE"))),
                AwsEvents.sqsMessage("m-junk", "this is not JSON"));

        long start = System.nanoTime();
        JsonPath result = lambda().body(AwsEvents.sqsBatch(messages)).post("/_lambda_").then().statusCode(200)
                .body("kind", equalTo("sqs")).extract().jsonPath();
        System.out.printf("one SQS batch of %d messages (2 images embedded): %.0f ms%n", messages.size(),
                (System.nanoTime() - start) / 1e6);

        assertEquals(List.of(), result.getList("batchItemFailures"), "permanent failures are acknowledged");
        assertEquals(2, result.getInt("processed"), result.prettify());
        assertEquals(5, result.getInt("failed"), result.prettify());
        assertRecord(result, "m-good", "ok", null, false);
        assertRecord(result, "m-sns", "ok", null, false);
        assertRecord(result, "m-missing", "error", "not_found", false);
        assertRecord(result, "m-text", "error", "invalid_input", false);
        assertRecord(result, "m-big", "error", "input_too_large", false);
        assertRecord(result, "m-denied", "error", "bucket_not_allowed", false);
        assertRecord(result, "m-junk", "error", "invalid_event", false);
        assertEquals(List.of(), result.getList("records.findAll { it.id == 'm-test' }"), "the test event is a no-op");
        assertTrue(exists(s3, BUCKET, "embeddings/sqs/good.png.json"));
        assertTrue(exists(s3, BUCKET, "embeddings/sqs/sns cat.jpg.json"));
        assertFalse(exists(s3, BUCKET, "embeddings/sqs/notes.png.json"));
        assertFalse(exists(s3, FORBIDDEN, "embeddings/sqs/secret.png.json"));
    }

    @Test
    void aTransientFailureRedeliversExactlyThatMessage() throws Exception {
        String p = "flaky/";
        put(s3, BUCKET, p + "a.png", png);
        put(s3, BUCKET, p + "throttled.png", png);
        put(s3, BUCKET, p + "c.jpg", jpg);
        put(s3, BUCKET, p + "notes.png", "not a picture".getBytes(StandardCharsets.UTF_8));
        JsonNode batch = mapper.valueToTree(AwsEvents.sqsBatch(List.of(
                AwsEvents.sqsMessage("m-1", notification(BUCKET, p + "a.png", png.length)),
                AwsEvents.sqsMessage("m-2", notification(BUCKET, p + "throttled.png", png.length)),
                AwsEvents.sqsMessage("m-3", notification(BUCKET, p + "c.jpg", jpg.length)),
                AwsEvents.sqsMessage("m-4", notification(BUCKET, p + "notes.png", 13)))));

        S3EmbedResult result = (S3EmbedResult) sqs(throttling("throttled"), config).handle(batch.get("Records")).body();
        assertEquals(List.of(new S3EmbedResult.BatchItemFailure("m-2")), result.batchItemFailures(), result.toString());
        assertEquals("s3_error", result.records().get(1).errorType());
        assertTrue(result.records().get(1).retry());
        assertEquals(2, result.processed());
        assertFalse(exists(s3, BUCKET, "embeddings/flaky/throttled.png.json"));

        // SQS delivers m-2 again; S3 answers this time.
        lambda().body(AwsEvents.sqsBatch(List.of(AwsEvents.sqsMessage("m-2",
                        notification(BUCKET, p + "throttled.png", png.length))))).post("/_lambda_")
                .then().statusCode(200).body("batchItemFailures.size()", equalTo(0)).body("processed", equalTo(1));
        assertTrue(exists(s3, BUCKET, "embeddings/flaky/throttled.png.json"));

        // embedder.s3.permanent-failures=retry: the bad image goes back to the queue too (maxReceiveCount -> DLQ).
        S3EmbedResult strict = (S3EmbedResult) sqs(throttling("throttled"), retryPermanent(config))
                .handle(batch.get("Records")).body();
        assertEquals(List.of(new S3EmbedResult.BatchItemFailure("m-2"), new S3EmbedResult.BatchItemFailure("m-4")),
                strict.batchItemFailures());
    }

    @Test
    void directS3AndEventBridgeEventsFailTheInvocationOnlyForTransientErrors() {
        put(s3, BUCKET, "async/ok.png", png);
        put(s3, BUCKET, "async/throttled.png", png);
        S3Intakes intakes = new S3Intakes(pipeline(throttling("throttled")), null, null, mapper);
        S3EmbedFunction function = new S3EmbedFunction();
        function.intakes = intakes;
        JsonNode direct = mapper.valueToTree(event().put(BUCKET, "async/ok.png", png.length)
                .put(BUCKET, "async/throttled.png", png.length).build());
        RetryLaterException thrown = assertThrows(RetryLaterException.class, () -> function.embedS3(direct));
        assertTrue(thrown.getMessage().contains("async/throttled.png"), thrown.getMessage());
        assertTrue(exists(s3, BUCKET, "embeddings/async/ok.png.json"), "the good object is written before the retry");

        JsonNode bridged = mapper.valueToTree(AwsEvents.eventBridge("Object Created", BUCKET, "async/throttled.png",
                png.length, "617f08299329d189"));
        assertThrows(RetryLaterException.class, () -> function.embedS3(bridged));
        // A permanent failure is reported, not thrown: Lambda's async retries could not help.
        JsonNode missing = mapper.valueToTree(AwsEvents.eventBridge("Object Created", BUCKET, "async/gone.png", 10,
                "617f08299329d18a"));
        S3EmbedResult result = (S3EmbedResult) function.embedS3(missing);
        assertEquals("eventbridge", result.kind());
        assertEquals("not_found", result.records().get(0).errorType());
    }

    @Test
    void eventBridgeKeysWorkEncodedOrAsTheyAre() {
        String odd = "eb/a b+c%d.png";
        String plus = "eb/x+y.png";
        put(s3, BUCKET, odd, png);
        put(s3, BUCKET, plus, jpg);
        put(s3, BUCKET, "eb/notes.png", "not a picture".getBytes(StandardCharsets.UTF_8));
        // Encoded as in an S3 notification, then the same key unencoded, then a literal '+' sent unencoded.
        for (String sent : List.of(S3Events.encode(odd), odd)) {
            lambda().body(AwsEvents.eventBridge("Object Created", BUCKET, sent, png.length, "617f08299329d189"))
                    .post("/_lambda_").then().statusCode(200).body("kind", equalTo("eventbridge"))
                    .body("records[0].status", equalTo("ok")).body("records[0].key", equalTo(odd));
        }
        lambda().body(AwsEvents.eventBridge("Object Created", BUCKET, plus, jpg.length, "617f08299329d189"))
                .post("/_lambda_").then().statusCode(200)
                .body("records[0].status", equalTo("ok")).body("records[0].key", equalTo(plus));
        assertTrue(exists(s3, BUCKET, "embeddings/" + odd + ".json"));
        assertTrue(exists(s3, BUCKET, "embeddings/" + plus + ".json"));

        lambda().body(AwsEvents.eventBridge("Object Created", BUCKET, "eb/notes.png", 13, "617f08299329d189"))
                .post("/_lambda_").then().statusCode(200).body("records[0].errorType", equalTo("invalid_input"))
                .body("records[0].retry", equalTo(false));
        lambda().body(AwsEvents.eventBridge("Object Deleted", BUCKET, "eb/x.png", 0, "617f08299329d190"))
                .post("/_lambda_").then().statusCode(200).body("skipped", equalTo(1))
                .body("records[0].errorType", equalTo("event_ignored"));
        lambda().body(AwsEvents.eventBridge("Object Created", FORBIDDEN, "eb/x.png", 1, "617f08299329d190"))
                .post("/_lambda_").then().statusCode(200).body("records[0].errorType", equalTo("bucket_not_allowed"));
    }

    @Test
    void batchOperationsAnswersEveryTaskWithItsResultCode() {
        for (String schema : List.of("1.0", "2.0")) {
            String p = "batch-" + schema + "/";
            putMix(p);
            Map<String, Object> invocation = AwsEvents.batch(schema, List.of(
                    AwsEvents.batchTask(schema, "t-good", BUCKET, S3Events.encode(p + "good.png")),
                    AwsEvents.batchTask(schema, "t-space", BUCKET, S3Events.encode(p + "sns cat.jpg")),
                    AwsEvents.batchTask(schema, "t-missing", BUCKET, S3Events.encode(p + "missing.png")),
                    AwsEvents.batchTask(schema, "t-text", BUCKET, S3Events.encode(p + "notes.png")),
                    AwsEvents.batchTask(schema, "t-big", BUCKET, S3Events.encode(p + "big.png")),
                    AwsEvents.batchTask(schema, "t-denied", FORBIDDEN, S3Events.encode(p + "secret.png"))));
            JsonPath answer = lambda().body(invocation).post("/_lambda_").then().statusCode(200)
                    .body("invocationSchemaVersion", equalTo(schema))
                    .body("invocationId", equalTo("YXNkbGZqYWRmaiBhc2RmdW9hZHNmZGpmaGFzbGtkaGZza2RmaAo"))
                    .body("treatMissingKeysAs", equalTo("PermanentFailure"))
                    .body("results.size()", equalTo(6)).extract().jsonPath();
            assertTask(answer, 0, "t-good", "Succeeded", "s3://images/embeddings/" + p + "good.png.json");
            assertTask(answer, 1, "t-space", "Succeeded", "s3://images/embeddings/" + p + "sns cat.jpg.json");
            assertTask(answer, 2, "t-missing", "PermanentFailure", "not_found: ");
            assertTask(answer, 3, "t-text", "PermanentFailure", "invalid_input: ");
            assertTask(answer, 4, "t-big", "PermanentFailure", "input_too_large: ");
            assertTask(answer, 5, "t-denied", "PermanentFailure", "bucket_not_allowed: ");
            assertEquals(java.util.Set.of("invocationSchemaVersion", "treatMissingKeysAs", "invocationId", "results"),
                    answer.getMap("$").keySet(), "only the documented fields");

            // The job run again (or redriven): the outputs are current, nothing is embedded twice.
            String before = new String(bytes(s3, BUCKET, "embeddings/" + p + "good.png.json"), StandardCharsets.UTF_8);
            lambda().body(AwsEvents.batch(schema, List.of(AwsEvents.batchTask(schema, "t-again", BUCKET,
                    S3Events.encode(p + "good.png"))))).post("/_lambda_").then().statusCode(200)
                    .body("results[0].resultCode", equalTo("Succeeded"))
                    .body("results[0].resultString", org.hamcrest.Matchers.startsWith("skipped (up_to_date)"));
            assertEquals(before, new String(bytes(s3, BUCKET, "embeddings/" + p + "good.png.json"),
                    StandardCharsets.UTF_8));
        }
        // Throttling: TemporaryFailure, so the job redrives the task.
        put(s3, BUCKET, "batch/throttled.png", png);
        BatchOperationsResponse throttled = (BatchOperationsResponse) new BatchOperationsIntake(
                pipeline(throttling("throttled"))).handle(mapper.valueToTree(AwsEvents.batch("2.0", List.of(
                        AwsEvents.batchTask("2.0", "t-slow", BUCKET, "batch/throttled.png"))))).body();
        assertEquals("TemporaryFailure", throttled.results().get(0).resultCode());
        assertTrue(throttled.results().get(0).resultString().startsWith("s3_error: "), throttled.toString());
    }

    @Test
    void anOlderEventNeverOverwritesTheResultOfANewerOne() {
        String key = "order/photo.png";
        // Two uploads of the same key; the bucket is unversioned, so the object now holds the second.
        put(s3, BUCKET, key, png);
        put(s3, BUCKET, key, jpg);
        String older = "0055AED6DCD90281E5";
        // Shorter but later: compared as hex numbers (left-padded), 0055AED6DCD9028200 > 0055AED6DCD90281E5.
        String newer = "55AED6DCD9028200";

        lambda().body(event().sequencer(newer).put(BUCKET, key, jpg.length).build()).post("/_lambda_")
                .then().statusCode(200).body("processed", equalTo(1));
        byte[] written = bytes(s3, BUCKET, "embeddings/" + key + ".json");
        assertEquals(newer, JsonPath.from(new String(written, StandardCharsets.UTF_8)).getString("source.sequencer"));

        // The first upload's event arrives late (through SQS, as a redelivery might).
        JsonPath late = lambda().body(AwsEvents.sqsBatch(List.of(AwsEvents.sqsMessage("m-late",
                        json(event().sequencer(older).put(BUCKET, key, png.length).build())))))
                .post("/_lambda_").then().statusCode(200).extract().jsonPath();
        assertEquals("superseded", late.getString("records[0].errorType"), late.prettify());
        assertEquals("skipped", late.getString("records[0].status"));
        assertEquals(List.of(), late.getList("batchItemFailures"));
        assertArrayEquals(written, bytes(s3, BUCKET, "embeddings/" + key + ".json"), "the newer result stays");

        // The newer event redelivered: byte-identical output.
        lambda().body(event().sequencer(newer).put(BUCKET, key, jpg.length).build()).post("/_lambda_")
                .then().statusCode(200).body("processed", equalTo(1));
        assertArrayEquals(written, bytes(s3, BUCKET, "embeddings/" + key + ".json"));
    }

    @Test
    void cloudEventsAnswerWithTheStatusKnativeRedeliversBy() {
        put(s3, BUCKET, "ce/good.png", png);
        // Every object failed for good: 422, so Knative does not redeliver (the Trigger's dead-letter sink gets it).
        http().header("ce-specversion", "1.0").header("ce-id", "ce-1").header("ce-type", "embed-s3")
                .header("ce-source", "test").body(event().put(BUCKET, "ce/gone.png", 10).build())
                .post("/").then().statusCode(422).body("records[0].errorType", equalTo("not_found"));
        // Something succeeded: 200 with the outcomes, the bad one reported.
        http().header("ce-specversion", "1.0").header("ce-id", "ce-2").header("ce-type", "embed-s3")
                .header("ce-source", "test")
                .body(event().put(BUCKET, "ce/good.png", png.length).put(BUCKET, "ce/gone.png", 10).build())
                .post("/").then().statusCode(200).body("processed", equalTo(1)).body("failed", equalTo(1));
        // An EventBridge event as data works the same (e.g. an EventBridge API destination or a bridge).
        http().header("ce-specversion", "1.0").header("ce-id", "ce-3").header("ce-type", "embed-s3")
                .header("ce-source", "test")
                .body(AwsEvents.eventBridge("Object Created", BUCKET, "ce/good.png", png.length, "617f08299329d189"))
                .post("/").then().statusCode(200).body("kind", equalTo("eventbridge"));
    }

    private static void assertRecord(JsonPath result, String id, String status, String errorType, boolean retry) {
        List<Map<String, Object>> records = result.getList("records.findAll { it.id == '" + id + "' }");
        assertEquals(1, records.size(), id + ": " + result.prettify());
        Map<String, Object> r = records.get(0);
        assertEquals(status, r.get("status"), id + ": " + r);
        assertEquals(errorType, r.get("errorType"), id + ": " + r);
        assertEquals(retry, r.get("retry"), id + ": " + r);
    }

    private static void assertTask(JsonPath answer, int i, String taskId, String code, String resultPrefix) {
        String at = "results[" + i + "].";
        assertEquals(taskId, answer.getString(at + "taskId"), answer.prettify());
        assertEquals(code, answer.getString(at + "resultCode"), answer.prettify());
        assertTrue(answer.getString(at + "resultString").startsWith(resultPrefix), answer.prettify());
    }

    private SqsIntake sqs(S3Client reading, EmbedderConfig cfg) {
        return new SqsIntake(new S3Pipeline(gate, new ObjectReader(reading, cfg), embedder,
                new OutputWriter(s3, mapper, cfg), registry, cfg), mapper, cfg);
    }

    private S3Pipeline pipeline(S3Client reading) {
        return new S3Pipeline(gate, new ObjectReader(reading, config), embedder, new OutputWriter(s3, mapper, config),
                registry, config);
    }

    /** The real client, except that GetObject for keys containing {@code marker} is throttled (503 SlowDown). */
    private S3Client throttling(String marker) {
        S3Client real = s3;
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getObject") && args != null && args[0] instanceof GetObjectRequest get
                            && get.key().contains(marker)) {
                        throw S3Exception.builder().statusCode(503).awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("SlowDown").errorMessage("Please reduce your request rate.").build())
                                .build();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static EmbedderConfig retryPermanent(EmbedderConfig real) {
        EmbedderConfig.S3 s3 = (EmbedderConfig.S3) Proxy.newProxyInstance(EmbedderConfig.class.getClassLoader(),
                new Class<?>[] {EmbedderConfig.S3.class}, (proxy, method, args) -> method.getName()
                        .equals("permanentFailures") ? EmbedderConfig.S3.PermanentFailures.RETRY
                        : method.invoke(real.s3(), args));
        return (EmbedderConfig) Proxy.newProxyInstance(EmbedderConfig.class.getClassLoader(),
                new Class<?>[] {EmbedderConfig.class}, (proxy, method, args) -> method.getName().equals("s3")
                        ? s3 : method.invoke(real, args));
    }
}
