package dev.embedder.api.s3;

import software.amazon.awssdk.services.s3.model.S3Exception;

/** Short, log- and result-friendly descriptions of S3 service errors. */
final class S3Errors {

    private S3Errors() {}

    /** e.g. {@code AccessDenied (HTTP 403): Access Denied}; the SDK's own message appends request ids and more. */
    static String describe(S3Exception e) {
        var details = e.awsErrorDetails();
        if (details == null) {
            return "HTTP " + e.statusCode() + ": " + e.getMessage();
        }
        return details.errorCode() + " (HTTP " + e.statusCode() + "): " + details.errorMessage();
    }
}
