package dev.embedder.observability;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Quarkus's OpenTelemetry exports to every SpanExporter bean; this one keeps spans in memory for TracingTest. */
public class InMemoryExporterProducer {

    @Produces
    @ApplicationScoped
    InMemorySpanExporter inMemorySpanExporter() {
        return InMemorySpanExporter.create();
    }
}
