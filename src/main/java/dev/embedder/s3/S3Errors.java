package dev.embedder.s3;

import java.io.UncheckedIOException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Short descriptions of S3 errors, and the one place that sorts them into retry classes. */
final class S3Errors {

    private S3Errors() {}

    /** e.g. {@code AccessDenied (HTTP 403): Access Denied}; the SDK's own message appends request ids and more. */
    static String describe(S3Exception e) {
        var details = e.awsErrorDetails();
        if (details == null || details.errorCode() == null) {
            return "HTTP " + e.statusCode() + ": " + e.getMessage();
        }
        return details.errorCode() + " (HTTP " + e.statusCode() + "): " + details.errorMessage();
    }

    /**
     * S3 5xx (500 InternalError, 503 SlowDown/ServiceUnavailable), 429 and the throttling/timeout 4xx codes are
     * worth retrying; every other 4xx (403, 404, 400, 412, ...) would fail the same way again.
     */
    static boolean isTransient(S3Exception e) {
        int status = e.statusCode();
        if (status >= 500 || status == 429 || status == 408) {
            return true;
        }
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return code != null && (code.equals("SlowDown") || code.equals("RequestTimeout") || code.contains("Throttl"));
    }

    /**
     * The record failure for an S3 call that threw: not found and access denied are permanent, throttling, 5xx,
     * timeouts and broken connections transient.
     *
     * @param what e.g. "reading the object" or "writing s3://b/k"
     */
    static RecordFailure failure(String what, RuntimeException e, String bucket, String key) {
        if (e instanceof NoSuchKeyException) {
            return RecordFailure.error("not_found", "no object '" + key + "' in bucket '" + bucket
                    + "' (deleted after the event?)");
        }
        if (e instanceof NoSuchBucketException) {
            return RecordFailure.error("not_found", "bucket '" + bucket + "' does not exist");
        }
        if (e instanceof S3Exception s3) {
            String message = what + " failed: " + describe(s3);
            if (s3.statusCode() == 403) {
                return RecordFailure.error("access_denied", message);
            }
            if (s3.statusCode() == 404) {
                return RecordFailure.error("not_found", message);
            }
            return isTransient(s3) ? RecordFailure.transientError("s3_error", message)
                    : RecordFailure.error("s3_error", message);
        }
        if (e instanceof SdkException || e instanceof UncheckedIOException) {
            // Client side: connection refused or reset, socket or API-call timeout. Nothing says the object is bad.
            return RecordFailure.transientError("s3_error", what + " failed: " + e.getMessage());
        }
        throw e;
    }
}
