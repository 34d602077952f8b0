package dev.embedder.s3;

/**
 * Why one object was not embedded. Thrown inside the S3 pipeline and turned into an {@link ObjectOutcome}; it
 * never leaves the pipeline, so it carries no stack trace.
 *
 * <p>Every failure has a retry class. <b>Transient</b>: S3 throttling (429/503 SlowDown), S3 5xx, timeouts and
 * broken connections, an inference error; trying again later may succeed. <b>Permanent</b>: not an image, too
 * large, no such key or bucket, access denied, a malformed event record; the same input fails the same way.
 * Each intake turns the class into its own signal (an SQS batch item failure, a Batch Operations result code, a
 * thrown error, an HTTP status).
 */
public final class RecordFailure extends RuntimeException {

    private final String type;
    private final boolean skipped;
    private final boolean transientFailure;

    private RecordFailure(String type, String message, boolean skipped, boolean transientFailure) {
        super(message, null, false, false);
        this.type = type;
        this.skipped = skipped;
        this.transientFailure = transientFailure;
    }

    /** The object should have been embedded but cannot be, and trying again will not change that. */
    public static RecordFailure error(String type, String message) {
        return new RecordFailure(type, message, false, false);
    }

    /** The object could not be embedded this time; a later try may succeed. */
    public static RecordFailure transientError(String type, String message) {
        return new RecordFailure(type, message, false, true);
    }

    /** The object is deliberately not embedded (filters, trigger-loop guard, stale event); not a failure. */
    public static RecordFailure skip(String type, String message) {
        return new RecordFailure(type, message, true, false);
    }

    public String type() {
        return type;
    }

    public boolean skipped() {
        return skipped;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
