package dev.embedder.error;

/** The runtime failed on input that passed validation: a server-side fault (HTTP 500). */
public final class InferenceException extends EmbedderException {
    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String type() {
        return "inference_error";
    }
}
