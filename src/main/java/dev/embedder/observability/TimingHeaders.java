package dev.embedder.observability;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * TEI's timing headers on every HTTP route that embedded something (not {@code /tokenize}, which runs no model) (REST, Funqy and CloudEvents alike, hence on
 * the Vert.x router): {@code x-tokenization-time}, {@code x-queue-time}, {@code x-inference-time} (model runs and
 * pooling) and {@code x-total-time}, in whole milliseconds as TEI sends them. The service leaves its
 * {@link RequestTimings} on the routing context; this writes them when the response headers go out.
 */
@ApplicationScoped
public class TimingHeaders {

    /** Before the application routes (Quarkus REST and Funqy sit at the default order, 10000). */
    private static final int ORDER = -90;

    private final boolean enabled;

    TimingHeaders(ObservabilityConfig config) {
        this.enabled = config.timingHeaders();
    }

    void install(@Observes Router router) {
        if (enabled) {
            router.route().order(ORDER).handler(this::attach);
        }
    }

    private void attach(RoutingContext ctx) {
        ctx.addHeadersEndHandler(v -> {
            RequestTimings t = ctx.get(RequestObserver.TIMINGS_KEY);
            if (t != null && t.embeds) {
                var headers = ctx.response().headers();
                headers.set("x-tokenization-time", millis(t.tokenizationNanos()));
                headers.set("x-queue-time", millis(t.queueNanos()));
                headers.set("x-inference-time", millis(t.inferenceNanos() + t.poolingNanos()));
                headers.set("x-total-time", millis(t.totalNanos()));
            }
        });
        ctx.next();
    }

    private static String millis(long nanos) {
        return Long.toString(nanos / 1_000_000);
    }
}
