package dev.embedder.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Vert.x refuses a body over {@code quarkus.http.limits.max-body-size} while reading it, before any route runs,
 * and would answer 413 with an empty body. This gives that 413 the usual JSON error, so clients see why.
 */
@ApplicationScoped
public class BodyTooLargeErrors {

    private final ObjectMapper mapper;
    private final String limit;

    public BodyTooLargeErrors(ObjectMapper mapper,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") String limit) {
        this.mapper = mapper;
        this.limit = limit;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        if (ctx.statusCode() != 413 || ctx.response().headWritten() || ctx.response().ended()) {
            ctx.next();
            return;
        }
        try {
            String body = mapper.writeValueAsString(ErrorBodies.forRequest(ctx,
                    "request body is larger than " + limit + " (quarkus.http.limits.max-body-size)", "input_too_large"));
            ctx.response().setStatusCode(413).putHeader("Content-Type", "application/json").end(body);
        } catch (JsonProcessingException e) {
            ctx.next();
        }
    }
}
