package dev.embedder.error;

/**
 * Base of every failure the embedding path reports on purpose. Each subtype maps to exactly one
 * HTTP status and error type in {@code dev.embedder.api.ErrorMapping}, so adapters never decide
 * status codes themselves.
 */
public abstract sealed class EmbedderException extends RuntimeException
        permits InvalidInputException, InputTooLargeException, UnknownModelException,
                OverloadedException, NotReadyException, InferenceException {

    protected EmbedderException(String message) {
        super(message);
    }

    protected EmbedderException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Stable, machine-readable error type, e.g. {@code invalid_input}. */
    public abstract String type();
}
