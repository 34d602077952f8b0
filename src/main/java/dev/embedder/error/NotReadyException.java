package dev.embedder.error;

/** Models are still loading or failed to load (HTTP 503). */
public final class NotReadyException extends EmbedderException {
    public NotReadyException(String message) {
        super(message);
    }

    public NotReadyException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String type() {
        return "not_ready";
    }
}
