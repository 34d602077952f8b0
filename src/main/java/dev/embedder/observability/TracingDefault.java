package dev.embedder.observability;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;

/**
 * Tracing is off unless an OTLP endpoint is configured: {@code quarkus.otel.sdk.disabled} reads {@code true}
 * unless it is set explicitly or {@code quarkus.otel.exporter.otlp.endpoint} /
 * {@code quarkus.otel.exporter.otlp.traces.endpoint} is set (e.g. {@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT}).
 * Without this the extension would export to localhost:4317 by default and log a failure for every batch.
 * Values below ordinal 100 are Quarkus's built-in defaults, not the user's.
 */
@Priority(Priorities.APPLICATION + 100)
public class TracingDefault implements ConfigSourceInterceptor {

    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    private static final int USER_ORDINAL = 100;

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (!SDK_DISABLED.equals(name) || explicit(value)) {
            return value;
        }
        if (explicit(context.proceed("quarkus.otel.exporter.otlp.endpoint"))
                || explicit(context.proceed("quarkus.otel.exporter.otlp.traces.endpoint"))) {
            return value;
        }
        ConfigValue base = value != null ? value
                : ConfigValue.builder().withName(name).withConfigSourceName("embedder tracing default").build();
        return base.withValue("true");
    }

    private static boolean explicit(ConfigValue value) {
        return value != null && value.getValue() != null && value.getConfigSourceOrdinal() >= USER_ORDINAL;
    }
}
