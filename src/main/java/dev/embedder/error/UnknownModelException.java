package dev.embedder.error;

/** The request names a model that no loaded bundle provides (HTTP 404). */
public final class UnknownModelException extends EmbedderException {
    public UnknownModelException(String message) {
        super(message);
    }

    @Override
    public String type() {
        return "unknown_model";
    }
}
