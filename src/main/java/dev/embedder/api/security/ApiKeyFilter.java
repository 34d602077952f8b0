package dev.embedder.api.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embedder.api.ErrorBodies;
import dev.embedder.config.EmbedderConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Optional API-key check in front of every HTTP route: the REST routes, the Funqy function routes
 * ({@code /embeddings}, {@code /embed-s3}) and CloudEvents at {@code /}. It sits on the Vert.x router rather
 * than in Quarkus REST because Funqy's HTTP binding is not a REST resource and would slip past a REST filter.
 * Health probes stay open (orchestrators do not send keys); Lambda invocations never pass this router.
 */
@ApplicationScoped
public class ApiKeyFilter {

    private static final Logger LOG = Logger.getLogger(ApiKeyFilter.class);
    /** Before the application routes (Quarkus REST and Funqy sit at the default order, 10000). */
    private static final int ORDER = -100;
    private static final String MESSAGE = "missing or invalid API key; send 'Authorization: Bearer <key>'";

    private final ApiKeys keys;
    private final ObjectMapper mapper;

    public ApiKeyFilter(EmbedderConfig config, ObjectMapper mapper) {
        this.keys = new ApiKeys(config.security().apiKeys().orElse(List.of()));
        this.mapper = mapper;
    }

    void install(@Observes Router router) {
        if (keys.disabled()) {
            return;
        }
        // Keys themselves are never logged, not even masked: a prefix helps an attacker more than an operator.
        LOG.info("HTTP routes require an API key (embedder.security.api-keys is set); /q/health/* stays open");
        router.route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (isHealth(path) || keys.accepts(ctx.request().getHeader("Authorization"))) {
            ctx.next();
            return;
        }
        String body;
        try {
            body = mapper.writeValueAsString(ErrorBodies.forRequest(ctx, MESSAGE, "unauthorized"));
        } catch (JsonProcessingException e) {
            body = "{\"error\":\"unauthorized\",\"type\":\"unauthorized\"}";
        }
        ctx.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", "Bearer")
                .putHeader("Content-Type", "application/json")
                .end(body);
    }

    static boolean isHealth(String path) {
        return path != null && (path.equals("/q/health") || path.startsWith("/q/health/"));
    }
}
