package dev.embedder.api;

import java.util.Map;

/**
 * Error bodies. Everywhere: {@code {"error": message, "type": type}}. Under {@code /v1} (the OpenAI
 * routes) the body is OpenAI's {@code {"error": {"message", "type", "code"}}}, because OpenAI SDKs read
 * the message from there and would otherwise report "null".
 */
public final class ErrorBodies {

    private ErrorBodies() {}

    public static Object forPath(String path, String message, String type) {
        if (path != null && (path.equals("/v1") || path.startsWith("/v1/"))) {
            return Map.of("error", new OpenAiError(message, type, type));
        }
        return new ErrorMapping.ErrorBody(message, type);
    }

    public record OpenAiError(String message, String type, String code) {}
}
