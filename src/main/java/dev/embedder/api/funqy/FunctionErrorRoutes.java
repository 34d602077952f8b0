package dev.embedder.api.funqy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embedder.api.ErrorBodies;
import dev.embedder.api.ErrorMapping;
import dev.embedder.api.JsonErrors;
import com.fasterxml.jackson.databind.JsonNode;
import dev.embedder.api.s3.RetryLaterException;
import dev.embedder.error.EmbedderException;
import io.quarkus.funqy.runtime.ApplicationException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Funqy's HTTP binding answers every exception a function throws with a bare 500. For the function
 * routes, this failure handler gives an {@link EmbedderException} its proper status and the shared
 * JSON error body instead, the same as the REST routes do. (On Lambda the exception itself is the
 * function error, which is what Lambda callers expect.)
 */
@ApplicationScoped
public class FunctionErrorRoutes {

    private final ObjectMapper mapper;

    public FunctionErrorRoutes(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void install(@Observes Router router) {
        router.route("/embeddings").failureHandler(ctx -> handle(ctx, EmbedFunctionRequest.class));
        router.route("/embed-s3").failureHandler(ctx -> handle(ctx, JsonNode.class));
    }

    private void handle(RoutingContext ctx, Class<?> input) {
        if (ctx.failure() == null && ctx.statusCode() == 400 && !ctx.response().headWritten()) {
            unreadableBody(ctx, input);
            return;
        }
        Throwable failure = ctx.failure();
        if (failure instanceof ApplicationException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        if (failure instanceof RetryLaterException retry && !ctx.response().headWritten()) {
            // Transient (S3 throttling, 5xx, timeouts): 503 tells an HTTP caller to come back, as Knative would.
            try {
                ctx.response().setStatusCode(503).putHeader("Content-Type", "application/json")
                        .end(mapper.writeValueAsString(ErrorBodies.forRequest(ctx, retry.getMessage(), "retry_later")));
            } catch (JsonProcessingException e) {
                ctx.next();
            }
            return;
        }
        if (!(failure instanceof EmbedderException error) || ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        try {
            String body = mapper.writeValueAsString(ErrorBodies.forRequest(ctx, error.getMessage(), error.type()));
            ctx.response().setStatusCode(ErrorMapping.status(error)).putHeader("Content-Type", "application/json").end(body);
        } catch (JsonProcessingException e) {
            ctx.next();
        }
    }

    /**
     * Funqy answers a body it cannot unmarshal with a bare 400 and keeps Jackson's reason to its log. The body is
     * read again here (only on this failure path) to tell the caller which field is wrong, in the usual shape.
     */
    private void unreadableBody(RoutingContext ctx, Class<?> input) {
        String message = "request body is not a valid " + input.getSimpleName() + " JSON object";
        try {
            var body = ctx.body();
            if (body == null || body.buffer() == null || body.length() == 0) {
                message = "request body is empty; the function needs a JSON object";
            } else {
                mapper.readValue(body.buffer().getBytes(), input);
            }
        } catch (JsonProcessingException e) {
            message = JsonErrors.describe(e);
        } catch (java.io.IOException | RuntimeException e) {
            // keep the generic message
        }
        try {
            String json = mapper.writeValueAsString(ErrorBodies.forRequest(ctx, message, JsonErrors.TYPE));
            ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json").end(json);
        } catch (JsonProcessingException e) {
            ctx.next();
        }
    }
}
