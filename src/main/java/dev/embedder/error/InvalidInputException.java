package dev.embedder.error;

/** The request is well-formed JSON but its content cannot be embedded (HTTP 400/422). */
public final class InvalidInputException extends EmbedderException {
    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String type() {
        return "invalid_input";
    }
}
