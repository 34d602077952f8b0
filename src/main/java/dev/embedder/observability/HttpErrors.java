package dev.embedder.observability;

import dev.embedder.api.ErrorBodies;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Counts in {@code embedder_errors_total} (and {@code embedder_rejections_total} for 429/503) the errors that the
 * HTTP layer answers before a request reaches the embedding service: a body that is not JSON or has the wrong
 * shape (400 {@code invalid_json}), an empty body (400 {@code invalid_input}), a body over the size limit (413
 * {@code input_too_large}), a missing or wrong API key (401 {@code unauthorized}), checks an adapter makes before
 * calling the service. Requests the service saw are counted by {@link RequestObserver} and skipped here, so each
 * error counts once.
 *
 * <p>The type is the one the error body carries (whoever writes that body notes it on the routing context,
 * {@link ErrorBodies#TYPE_KEY}); a response nobody noted (Quarkus's own 405, 415 …) counts as
 * {@code http_<status>}. Only the application's routes are counted ({@link Routes#APPLICATION}), so paths
 * stay a bounded label; anything else shows in Quarkus's {@code http_server_requests_seconds} only.
 */
@ApplicationScoped
public class HttpErrors {

    /**
     * First of all, with the access log and before the body handler (Integer.MIN_VALUE + 1), so a body refused
     * while being read is seen too.
     */
    private static final int ORDER = Integer.MIN_VALUE;

    private final RequestObserver observer;

    HttpErrors(RequestObserver observer) {
        this.observer = observer;
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::attach);
    }

    private void attach(RoutingContext ctx) {
        String route = Routes.application(ctx.normalizedPath());
        if (route != null) {
            ctx.addHeadersEndHandler(v -> record(ctx, route));
        }
        ctx.next();
    }

    private void record(RoutingContext ctx, String route) {
        int status = ctx.response().getStatusCode();
        if (status < 400 || ctx.get(RequestObserver.TIMINGS_KEY) != null) {
            return;
        }
        Object type = ctx.get(ErrorBodies.TYPE_KEY);
        observer.refusedBeforeService(route, type instanceof String s ? s : "http_" + status, status);
    }
}
