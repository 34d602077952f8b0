package dev.embedder.api;

import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * Error bodies. Everywhere: {@code {"error": message, "type": type}}. Under {@code /v1} (the OpenAI
 * routes) the body is OpenAI's {@code {"error": {"message", "type", "code"}}}, because OpenAI SDKs read
 * the message from there and would otherwise report "null".
 */
public final class ErrorBodies {

    /**
     * Routing-context key under which an error answered before the embedding service ran (unreadable JSON, body too
     * large, missing API key…) hands its type to the errors meter, {@code dev.embedder.observability.HttpErrors}.
     */
    public static final String TYPE_KEY = "embedder.error.type";

    private ErrorBodies() {}

    /** The body for this HTTP request's path, its type noted on the request for the errors meter. */
    public static Object forRequest(RoutingContext ctx, String message, String type) {
        ctx.put(TYPE_KEY, type);
        return forPath(ctx.normalizedPath(), message, type);
    }

    /** Notes the error type on the HTTP request this thread serves (for Quarkus REST's mappers), if any. */
    public static void noteType(String type) {
        var container = Arc.container();
        if (container == null || !container.requestContext().isActive()) {
            return;
        }
        var current = container.instance(CurrentVertxRequest.class);
        RoutingContext ctx = current.isAvailable() ? current.get().getCurrent() : null;
        if (ctx != null) {
            ctx.put(TYPE_KEY, type);
        }
    }

    public static Object forPath(String path, String message, String type) {
        if (path != null && (path.equals("/v1") || path.startsWith("/v1/"))) {
            return Map.of("error", new OpenAiError(message, type, type));
        }
        return new ErrorMapping.ErrorBody(message, type);
    }

    public record OpenAiError(String message, String type, String code) {}
}
