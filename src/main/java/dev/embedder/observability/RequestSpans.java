package dev.embedder.observability;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * OpenTelemetry spans for a request, made when it ends from the timestamps in its {@link RequestTimings}: one
 * {@code embed} span (a child of the HTTP server span when there is one) with {@code tokenize}, {@code queue},
 * {@code inference} and {@code pool} children. The model run happens on the batcher's thread for several requests
 * at once, so building the spans afterwards, on the request's own thread, keeps them in the request's trace and
 * costs nothing while tracing is off. Attributes are the model and sizes; never input content. On Lambda the
 * {@code embed} span carries the invocation's request id ({@code faas.invocation_id}).
 *
 * <p>Inference and pooling alternate per micro-batch; their spans show each stage's total, laid end to end after
 * the queue wait.
 */
@ApplicationScoped
public class RequestSpans {

    static final AttributeKey<String> MODEL = AttributeKey.stringKey("embedder.model");
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("embedder.route");
    static final AttributeKey<Long> INPUTS = AttributeKey.longKey("embedder.inputs");
    static final AttributeKey<Long> TOKENS = AttributeKey.longKey("embedder.tokens");
    static final AttributeKey<Long> BATCH = AttributeKey.longKey("embedder.batch.size");
    static final AttributeKey<Long> IMAGE_BYTES = AttributeKey.longKey("embedder.image.bytes");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("embedder.outcome");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> INVOCATION = AttributeKey.stringKey("faas.invocation_id");
    static final AttributeKey<String> BUCKET = AttributeKey.stringKey("aws.s3.bucket");
    static final AttributeKey<Long> SIZE = AttributeKey.longKey("embedder.s3.object.size");

    private final Tracer tracer;
    private final boolean enabled;

    RequestSpans(Tracer tracer, @ConfigProperty(name = "quarkus.otel.sdk.disabled") boolean sdkDisabled) {
        this.tracer = tracer;
        this.enabled = !sdkDisabled;
    }

    void request(RequestTimings t) {
        if (!enabled) {
            return;
        }
        SpanBuilder builder = tracer.spanBuilder("embed").setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(t.startEpochNanos, TimeUnit.NANOSECONDS)
                .setAttribute(ROUTE, t.route).setAttribute(INPUTS, (long) t.inputs)
                .setAttribute(OUTCOME, t.outcome);
        if (t.model != null) {
            builder.setAttribute(MODEL, t.model);
        }
        if (t.invocationId != null) {
            builder.setAttribute(INVOCATION, t.invocationId);
        }
        if ("text".equals(t.modality)) {
            builder.setAttribute(TOKENS, (long) t.tokens);
        }
        if (t.imageBytes > 0) {
            builder.setAttribute(IMAGE_BYTES, t.imageBytes);
        }
        Span embed = builder.startSpan();
        if (t.errorType != null) {
            embed.setStatus(StatusCode.ERROR, t.errorType);
            embed.setAttribute(ERROR_TYPE, t.errorType);
        }
        Context parent = Context.current().with(embed);
        if (t.tokenizeEnd != 0) {
            child(parent, "tokenize", t, t.tokenizeStart, t.tokenizeEnd, TOKENS, (long) t.tokens);
        }
        if (t.decodeNanos > 0) {
            // Images are decoded one after the other before the run; shown as one span from the request's start.
            child(parent, "decode", t, t.startNanos, t.startNanos + t.decodeNanos, IMAGE_BYTES, t.imageBytes);
        }
        long runStart;
        if (t.queueEnd != 0) {
            child(parent, "queue", t, t.queueStart, t.queueEnd, null, 0);
            runStart = t.queueEnd;
        } else {
            runStart = Math.max(t.tokenizeEnd, t.startNanos + t.decodeNanos);
        }
        if (t.inferenceNanos > 0) {
            child(parent, "inference", t, runStart, runStart + t.inferenceNanos, BATCH, (long) t.batchSequences);
            child(parent, "pool", t, runStart + t.inferenceNanos, runStart + t.inferenceNanos + t.poolingNanos,
                    null, 0);
        }
        embed.end(t.epochNanos(t.endNanos), TimeUnit.NANOSECONDS);
    }

    private void child(Context parent, String name, RequestTimings t, long startNanos, long endNanos,
            AttributeKey<Long> key, long value) {
        SpanBuilder builder = tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(t.epochNanos(startNanos), TimeUnit.NANOSECONDS);
        if (t.model != null) {
            builder.setAttribute(MODEL, t.model);
        }
        if (key != null) {
            builder.setAttribute(key, value);
        }
        builder.startSpan().end(t.epochNanos(endNanos), TimeUnit.NANOSECONDS);
    }

    /** An S3 call as a client span: {@code s3.get} / {@code s3.put}, with the bucket and the object's size. */
    <T> T s3(String operation, String bucket, Supplier<T> call, ToLongFunction<T> size) {
        if (!enabled) {
            return call.get();
        }
        Span span = tracer.spanBuilder("s3." + operation).setSpanKind(SpanKind.CLIENT)
                .setAttribute(BUCKET, bucket).setAttribute("rpc.system", "aws-api")
                .setAttribute("rpc.service", "S3").startSpan();
        try (var scope = span.makeCurrent()) {
            T result = call.get();
            span.setAttribute(SIZE, size.applyAsLong(result));
            return result;
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }
}
