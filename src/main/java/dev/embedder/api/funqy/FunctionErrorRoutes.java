package dev.embedder.api.funqy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embedder.api.ErrorMapping;
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
        router.route("/embeddings").failureHandler(this::handle);
        router.route("/embed-s3").failureHandler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof ApplicationException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        if (!(failure instanceof EmbedderException error) || ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        try {
            String body = mapper.writeValueAsString(new ErrorMapping.ErrorBody(error.getMessage(), error.type()));
            ctx.response().setStatusCode(ErrorMapping.status(error)).putHeader("Content-Type", "application/json").end(body);
        } catch (JsonProcessingException e) {
            ctx.next();
        }
    }
}
