package dev.embedder.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Answers a POST with an empty body (Content-Length 0, or an empty chunked body) with 400 before it reaches a
 * route. Without this, Quarkus REST never answered such a request on the JSON and image routes: the router's body
 * handler has already consumed the (empty) body, and the resource's body reader then waits for bytes that will
 * never come, holding a worker thread long after the client gave up. Every POST route here needs a body, so
 * refusing all of them up front is both the fix and the right answer.
 */
@ApplicationScoped
public class EmptyBodyGuard {

    /** After the body handler (which runs first of all) and the API-key check (-100), before every route. */
    private static final int ORDER = -90;

    private final ObjectMapper mapper;

    public EmptyBodyGuard(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        if (ctx.request().method() != HttpMethod.POST || !isEmpty(ctx)) {
            ctx.next();
            return;
        }
        String body;
        try {
            body = mapper.writeValueAsString(ErrorBodies.forRequest(ctx,
                    "request body is required: this route takes a JSON object (an image file on /embed-image)",
                    "invalid_input"));
        } catch (JsonProcessingException e) {
            body = "{\"error\":\"request body is required\",\"type\":\"invalid_input\"}";
        }
        ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json").end(body);
    }

    private static boolean isEmpty(RoutingContext ctx) {
        if ("0".equals(ctx.request().getHeader("Content-Length"))) {
            return true;
        }
        var body = ctx.body();
        return body != null && body.available() && body.length() == 0;
    }
}
