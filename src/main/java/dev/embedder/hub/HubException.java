package dev.embedder.hub;

/**
 * Why a Hub model could not be made available. It is a startup error: the registry reports the message as the
 * readiness reason and the prefetch command prints it, so each message names the model and what to do.
 */
public final class HubException extends RuntimeException {

    public enum Reason {
        REPO_NOT_FOUND, UNAUTHORIZED, GATED, FORBIDDEN, REVISION_NOT_FOUND, ENTRY_NOT_FOUND, NO_ONNX,
        OFFLINE_NOT_CACHED, CHECKSUM_MISMATCH, DISK_FULL, NETWORK, PROTOCOL
    }

    private final Reason reason;

    public HubException(Reason reason, String message) {
        this(reason, message, null);
    }

    public HubException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** True for failures worth a retry or a fall-back to the cache: the Hub could not be reached or answered 5xx. */
    public boolean transientFailure() {
        return reason == Reason.NETWORK;
    }
}
