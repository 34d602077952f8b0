package dev.embedder.observability;

import dev.embedder.api.ErrorMapping;
import dev.embedder.error.EmbedderException;
import dev.embedder.service.ModelRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.Locale;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Where a request's observations end up: the service opens a {@link RequestTimings} at its entry
 * ({@link #begin}) and closes it ({@link #succeeded} / {@link #failed}); this records the meters, writes the one
 * INFO line per request (category {@code dev.embedder.request}: model, route, sizes, timings, never the input),
 * emits the spans and leaves the timings on the HTTP request for the {@code x-*-time} headers.
 */
@ApplicationScoped
public class RequestObserver {

    /** RoutingContext key under which an HTTP request's timings travel to {@link TimingHeaders}. */
    static final String TIMINGS_KEY = "embedder.timings";
    /** What Quarkus's Lambda poll loop puts in the MDC for each invocation. */
    private static final String LAMBDA_REQUEST_ID = "AWSRequestId";
    private static final Logger REQUEST_LOG = Logger.getLogger("dev.embedder.request");

    private final EmbedderMetrics metrics;
    private final RequestSpans spans;
    private final boolean requestLog;

    /**
     * The registry is Micrometer's Prometheus one where the build has it; the Lambda build (-Dlambda) leaves that
     * extension out, and then the meters go to an empty composite registry, which records nothing.
     */
    RequestObserver(Instance<MeterRegistry> registries, ObservabilityConfig config, RequestSpans spans) {
        boolean served = registries.isResolvable();
        this.metrics = new EmbedderMetrics(served ? registries.get() : new CompositeMeterRegistry(),
                served && config.metrics());
        this.spans = spans;
        this.requestLog = config.requestLog();
    }

    /** After the models are loaded (ModelRegistry observes StartupEvent at the default priority). */
    void onStart(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 900) StartupEvent event,
            ModelRegistry models) {
        metrics.install();
        Stages.install(metrics, spans);
        for (String name : models.names()) {
            var batcher = models.batcher(name);
            if (batcher != null) {
                metrics.queueDepth(name, batcher, b -> b.queuedSequences());
            }
        }
    }

    /**
     * Opens the timings of one request on the calling thread, or returns the one already open (a service
     * method that delegates to another). Only the opener ({@link RequestTimings#route()} aside) closes it.
     */
    public RequestTimings begin() {
        RequestTimings open = RequestTimings.current();
        if (open != null) {
            return null;
        }
        RoutingContext http = currentHttpRequest();
        RequestTimings timings = new RequestTimings(http != null ? Routes.label(http.normalizedPath()) : "lambda");
        if (http != null) {
            http.put(TIMINGS_KEY, timings);
        } else {
            Object id = MDC.get(LAMBDA_REQUEST_ID);
            timings.invocationId = id == null ? null : id.toString();
        }
        RequestTimings.setCurrent(timings);
        return timings;
    }

    /** Records what the current request is, as soon as the service knows. */
    public static void describe(String model, String modality, int inputs) {
        RequestTimings t = RequestTimings.current();
        if (t != null) {
            t.model = model;
            t.modality = modality;
            t.inputs = inputs;
        }
    }

    /** As {@link #describe}, for a request that tokenizes text and runs no model ({@code /tokenize}). */
    public static void describeTokenization(String model, int inputs) {
        describe(model, "text", inputs);
        RequestTimings t = RequestTimings.current();
        if (t != null) {
            t.embeds = false;
        }
    }

    public static void tokenized(long startNanos, long endNanos, int tokens) {
        RequestTimings t = RequestTimings.current();
        if (t != null) {
            t.tokenizeStart = startNanos;
            t.tokenizeEnd = endNanos;
            t.tokens = tokens;
        }
    }

    public void succeeded(RequestTimings timings) {
        finish(timings, "success", null, 200);
    }

    public void failed(RequestTimings timings, RuntimeException error) {
        if (timings == null) {
            return;
        }
        if (error instanceof EmbedderException known) {
            int status = ErrorMapping.status(known);
            String outcome = status == 429 || status == 503 ? "rejected" : status >= 500 ? "server_error" : "client_error";
            finish(timings, outcome, known.type(), status);
        } else {
            finish(timings, "server_error", "internal", 500);
        }
    }

    /** An error answered on an application route before the service ran (see {@link HttpErrors}). */
    void refusedBeforeService(String route, String type, int status) {
        metrics.error(route, type, status);
    }

    private void finish(RequestTimings t, String outcome, String errorType, int status) {
        if (t == null) {
            return;
        }
        RequestTimings.setCurrent(null);
        t.endNanos = System.nanoTime();
        t.outcome = outcome;
        t.errorType = errorType;
        metrics.request(t);
        if (errorType != null) {
            metrics.error(t.route, errorType, status);
        }
        spans.request(t);
        if (requestLog && REQUEST_LOG.isInfoEnabled()) {
            REQUEST_LOG.infof("route=%s model=%s inputs=%d tokens=%d outcome=%s%s tokenize_ms=%s queue_ms=%s"
                    + " inference_ms=%s pool_ms=%s decode_ms=%s image_bytes=%d total_ms=%s%s", t.route,
                    t.model, t.inputs, t.tokens, outcome, errorType == null ? "" : " error=" + errorType,
                    ms(t.tokenizationNanos()), ms(t.queueNanos()), ms(t.inferenceNanos), ms(t.poolingNanos),
                    ms(t.decodeNanos), t.imageBytes, ms(t.totalNanos()),
                    t.invocationId == null ? "" : " aws_request_id=" + t.invocationId);
        }
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }

    /** The HTTP request this thread serves (Quarkus REST and Funqy's HTTP binding both set it), or null. */
    private static RoutingContext currentHttpRequest() {
        var container = Arc.container();
        if (container == null) {
            return null;
        }
        ManagedContext requestContext = container.requestContext();
        if (!requestContext.isActive()) {
            return null;
        }
        var current = container.instance(CurrentVertxRequest.class);
        return current.isAvailable() ? current.get().getCurrent() : null;
    }
}
