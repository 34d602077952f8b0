package dev.embedder.observability;

import static dev.embedder.testing.Http.http;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.testing.Http;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Spans with tracing switched on (as an OTLP endpoint would), caught by OpenTelemetry's in-memory exporter: the
 * embed span under the HTTP server span, its tokenize / queue / inference / pool children in order, the model and
 * sizes as attributes and no input text anywhere; on the Lambda path the invocation's request id.
 */
@QuarkusTest
@TestProfile(TracingTest.TracingOn.class)
class TracingTest {

    public static class TracingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Nothing listens there: the OTLP exporter fails quietly, the in-memory one gets every span.
            return Map.of("quarkus.otel.sdk.disabled", "false",
                    "quarkus.otel.exporter.otlp.traces.endpoint", "http://127.0.0.1:9",
                    "quarkus.otel.bsp.schedule.delay", "10ms",
                    "embedder.bundle.models", "all-minilm-l6-v2,mobilenet-v2-nsfwjs");
        }
    }

    private static final String SECRET_TEXT = "the quick brown fox jumps";

    @Inject
    InMemorySpanExporter exporter;

    @BeforeEach
    void reset() {
        exporter.reset();
    }

    @Test
    void textRequestHasStageSpansUnderTheHttpSpan() throws Exception {
        http().body(Map.of("input", List.of(SECRET_TEXT, "good morning"))).post("/v1/embeddings").then().statusCode(200);
        SpanData embed = await(s -> s.getName().equals("embed"));
        List<SpanData> spans = awaitChildren(embed, 4);
        assertEquals("all-minilm-l6-v2", embed.getAttributes().get(AttributeKey.stringKey("embedder.model")));
        assertEquals(2L, embed.getAttributes().get(AttributeKey.longKey("embedder.inputs")));
        // [CLS] the quick brown fox jumps [SEP] = 7, [CLS] good morning [SEP] = 4
        assertEquals(11L, embed.getAttributes().get(AttributeKey.longKey("embedder.tokens")));
        assertEquals("/v1/embeddings", embed.getAttributes().get(AttributeKey.stringKey("embedder.route")));
        SpanData server = exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getSpanId().equals(embed.getParentSpanId())).findFirst().orElse(null);
        assertNotNull(server, "the embed span's parent is the HTTP server span");
        assertEquals(embed.getTraceId(), server.getTraceId());

        List<String> order = spans.stream().sorted(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos))
                .map(SpanData::getName).toList();
        assertEquals(List.of("tokenize", "queue", "inference", "pool"), order);
        for (SpanData child : spans) {
            assertTrue(child.getStartEpochNanos() >= embed.getStartEpochNanos() - 1_000_000, child.getName());
            assertTrue(child.getEndEpochNanos() <= embed.getEndEpochNanos() + 1_000_000, child.getName());
        }
        for (SpanData span : exporter.getFinishedSpanItems()) {
            assertFalse(span.getAttributes().toString().contains("quick brown"), span.getName() + " carries input text");
        }
    }

    @Test
    void tokenEmbeddingsHaveTokenizeInferenceAndPoolSpans() throws Exception {
        http().body(Map.of("inputs", List.of("good morning"))).post("/embed_all").then().statusCode(200);
        SpanData embed = await(s -> s.getName().equals("embed")
                && "/embed_all".equals(s.getAttributes().get(AttributeKey.stringKey("embedder.route"))));
        // embed_all runs on the request's thread (no batcher queue): tokenize, then the run, then token extraction.
        List<String> order = awaitChildren(embed, 3).stream()
                .sorted(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos)).map(SpanData::getName).toList();
        assertEquals(List.of("tokenize", "inference", "pool"), order);
        // [CLS] good morning [SEP]
        assertEquals(4L, embed.getAttributes().get(AttributeKey.longKey("embedder.tokens")));
        assertEquals("all-minilm-l6-v2", embed.getAttributes().get(AttributeKey.stringKey("embedder.model")));
    }

    @Test
    void lambdaInvocationCarriesTheRequestId() throws Exception {
        Http.lambda().body(Map.of("inputs", List.of("good morning"))).post().then().statusCode(200);
        SpanData embed = await(s -> s.getName().equals("embed")
                && "lambda".equals(s.getAttributes().get(AttributeKey.stringKey("embedder.route"))));
        String id = embed.getAttributes().get(AttributeKey.stringKey("faas.invocation_id"));
        assertNotNull(id, "faas.invocation_id");
        assertFalse(id.isBlank());
    }

    @Test
    void imageRequestHasADecodeSpanWithItsSize() throws Exception {
        byte[] png = TestImages.png(20, 20, 9, 9, 9);
        http().contentType("image/png").body(png).post("/embed-image").then().statusCode(200);
        SpanData embed = await(s -> s.getName().equals("embed"));
        List<SpanData> children = awaitChildren(embed, 3);
        SpanData decode = children.stream().filter(s -> s.getName().equals("decode")).findFirst().orElseThrow();
        assertEquals((long) png.length, decode.getAttributes().get(AttributeKey.longKey("embedder.image.bytes")));
        assertEquals(1L, children.stream().filter(s -> s.getName().equals("inference")).findFirst().orElseThrow()
                .getAttributes().get(AttributeKey.longKey("embedder.batch.size")));
    }

    private SpanData await(Predicate<SpanData> match) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            for (SpanData span : exporter.getFinishedSpanItems()) {
                if (match.test(span)) {
                    return span;
                }
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no matching span among " + exporter.getFinishedSpanItems().stream()
                .map(SpanData::getName).toList());
    }

    private List<SpanData> awaitChildren(SpanData parent, int count) throws InterruptedException {
        List<SpanData> children = List.of();
        for (int i = 0; i < 200 && children.size() < count; i++) {
            children = exporter.getFinishedSpanItems().stream()
                    .filter(s -> s.getParentSpanId().equals(parent.getSpanId())).toList();
            Thread.sleep(25);
        }
        assertEquals(count, children.size(), children.stream().map(SpanData::getName).toList().toString());
        return children;
    }
}
