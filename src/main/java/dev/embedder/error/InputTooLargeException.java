package dev.embedder.error;

/** An input exceeds a configured limit: tokens, batch size, bytes or pixels (HTTP 413). */
public final class InputTooLargeException extends EmbedderException {
    public InputTooLargeException(String message) {
        super(message);
    }

    @Override
    public String type() {
        return "input_too_large";
    }
}
