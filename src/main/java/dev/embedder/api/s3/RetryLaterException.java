package dev.embedder.api.s3;

/**
 * Thrown by {@code embed-s3} for intakes whose only retry signal is a failed invocation (S3 notifications and SNS
 * delivered straight to Lambda, EventBridge rules: all asynchronous invokes, which Lambda retries twice, then
 * sends to the function's on-failure destination or dead-letter queue). Only when at least one object failed
 * transiently; the objects that succeeded were written and a retry rewrites them byte for byte.
 */
public final class RetryLaterException extends RuntimeException {

    public RetryLaterException(String message) {
        super(message);
    }
}
