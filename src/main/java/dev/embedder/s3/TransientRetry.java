package dev.embedder.s3;

import java.io.UncheckedIOException;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One more try for an S3 call that died on the connection itself. The URL-connection HTTP client can hand a
 * request a pooled keep-alive connection the server has already closed; for a PUT with
 * {@code Expect: 100-continue} that surfaces as {@code SocketException: Unexpected end of file from server},
 * wrapped in an {@link UncheckedIOException} that the SDK's own retry policy does not retry (seen against
 * S3Proxy, and reported against S3 for SDK 2.37+: aws/aws-sdk-java-v2#6670). Both calls made here are
 * idempotent (a GET, and a PUT of the same bytes to the same key), so repeating them is safe.
 */
final class TransientRetry {

    private static final Logger LOG = Logger.getLogger(TransientRetry.class);

    private TransientRetry() {}

    static <T> T once(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (UncheckedIOException e) {
            LOG.infof("embed-s3: %s failed on the connection (%s); retrying once on a fresh one", what, e.getMessage());
            return call.get();
        }
    }
}
