package dev.embedder.api.s3;

/**
 * Why one record of an S3 event was not embedded. Thrown inside the S3 path and turned into a
 * {@link S3EmbedResult.RecordOutcome}; it never leaves the function, so it carries no stack trace.
 */
final class RecordFailure extends RuntimeException {

    private final String type;
    private final boolean skipped;

    private RecordFailure(String type, String message, boolean skipped) {
        super(message, null, false, false);
        this.type = type;
        this.skipped = skipped;
    }

    /** The record should have been embedded but could not be. */
    static RecordFailure error(String type, String message) {
        return new RecordFailure(type, message, false);
    }

    /** The record is deliberately not embedded (filters, trigger-loop guard); not a failure. */
    static RecordFailure skip(String type, String message) {
        return new RecordFailure(type, message, true);
    }

    String type() {
        return type;
    }

    boolean skipped() {
        return skipped;
    }
}
