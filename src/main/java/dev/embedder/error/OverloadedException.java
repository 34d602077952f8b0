package dev.embedder.error;

/** The service refuses work instead of queueing without bound (HTTP 429). */
public final class OverloadedException extends EmbedderException {
    public OverloadedException(String message) {
        super(message);
    }

    @Override
    public String type() {
        return "overloaded";
    }
}
