package dev.embedder.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Rejections and the off switch, which the HTTP tests cannot provoke on demand. */
class EmbedderMetricsTest {

    @Test
    void overloadAndNotReadyAreRejectionsAndErrors() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EmbedderMetrics metrics = new EmbedderMetrics(registry, true);
        metrics.error("/embed", "overloaded", 429);
        metrics.error("/embed", "overloaded", 429);
        metrics.error("/v1/embeddings", "not_ready", 503);
        metrics.error("/v1/embeddings", "invalid_input", 400);
        assertEquals(2, registry.get("embedder.rejections").tags("route", "/embed", "status", "429", "reason", "overloaded")
                .counter().count());
        assertEquals(1, registry.get("embedder.rejections").tags("status", "503").counter().count());
        assertEquals(2, registry.get("embedder.rejections").counters().size());
        assertEquals(1, registry.get("embedder.errors").tags("type", "invalid_input").counter().count());
    }

    @Test
    void switchedOffRecordsNothing() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EmbedderMetrics metrics = new EmbedderMetrics(registry, false);
        metrics.error("/embed", "overloaded", 429);
        metrics.run("m", 4, 10, 12);
        metrics.s3Record("ok", null);
        assertNull(registry.find("embedder.rejections").counter());
        assertNull(registry.find("embedder.batch.size").summary());
    }

    @Test
    void s3RecordsByOutcomeAndType() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EmbedderMetrics metrics = new EmbedderMetrics(registry, true);
        metrics.s3Record("ok", null);
        metrics.s3Record("error", "not_found");
        metrics.s3Record("skipped", null);
        assertEquals(1, registry.get("embedder.s3.records").tags("outcome", "ok", "type", "none").counter().count());
        assertEquals(1, registry.get("embedder.s3.records").tags("outcome", "error", "type", "not_found").counter().count());
    }
}
