package dev.embedder.api;

import dev.embedder.error.EmbedderException;
import dev.embedder.error.InferenceException;
import dev.embedder.error.InputTooLargeException;
import dev.embedder.error.InvalidInputException;
import dev.embedder.error.NotReadyException;
import dev.embedder.error.OverloadedException;
import dev.embedder.error.UnknownModelException;

/** The one table from error type to HTTP status, shared by every HTTP adapter. */
public final class ErrorMapping {

    private ErrorMapping() {}

    public static int status(EmbedderException e) {
        // An if-chain rather than a pattern switch: the project targets Java 17.
        if (e instanceof InvalidInputException) {
            return 400;
        } else if (e instanceof UnknownModelException) {
            return 404;
        } else if (e instanceof InputTooLargeException) {
            return 413;
        } else if (e instanceof OverloadedException) {
            return 429;
        } else if (e instanceof NotReadyException) {
            return 503;
        } else if (e instanceof InferenceException) {
            return 500;
        }
        throw new IllegalStateException("unmapped error type " + e.getClass());
    }

    /** The error body, the same shape on every route: {@code {"error": message, "type": type}}. */
    public record ErrorBody(String error, String type) {}
}
