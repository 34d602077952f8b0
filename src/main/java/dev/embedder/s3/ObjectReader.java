package dev.embedder.s3;

import dev.embedder.config.EmbedderConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Reads one object's bytes, never more than {@code embedder.s3.max-object-bytes}: the limit is checked
 * against Content-Length as soon as the response headers arrive (one GET, no separate HEAD), and the
 * body read is capped too, in case the header and the body disagree.
 */
@ApplicationScoped
public class ObjectReader {

    private final S3Client s3;
    private final long maxBytes;

    public ObjectReader(S3Client s3, EmbedderConfig config) {
        this.s3 = s3;
        this.maxBytes = config.s3().maxObjectBytes();
    }

    FetchedObject read(SourceObject source) {
        try {
            return dev.embedder.observability.Stages.s3Call("get", source.bucket(),
                    () -> TransientRetry.once("GET " + source.key(), () -> readOnce(source)), FetchedObject::size);
        } catch (RecordFailure f) {
            throw f;
        } catch (RuntimeException e) {
            throw S3Errors.failure("reading the object", e, source.bucket(), source.key());
        }
    }

    private FetchedObject readOnce(SourceObject source) {
        GetObjectRequest request = GetObjectRequest.builder().bucket(source.bucket()).key(source.key())
                .versionId(source.versionId()).build();
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(request)) {
            GetObjectResponse head = in.response();
            Long length = head.contentLength();
            if (length != null && length > maxBytes) {
                in.abort();
                throw tooLarge(length);
            }
            // One byte over the limit is enough to know the body is too large.
            byte[] bytes = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > maxBytes) {
                in.abort();
                throw tooLarge(bytes.length);
            }
            return new FetchedObject(source, bytes, unquote(head.eTag()), bytes.length, head.versionId(),
                    head.lastModified());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RecordFailure tooLarge(long bytes) {
        return RecordFailure.error("input_too_large", "object has " + bytes + " bytes, the limit is " + maxBytes
                + " (embedder.s3.max-object-bytes)");
    }

    /** S3 returns the ETag quoted; events carry it bare. The output uses the event's form. */
    static String unquote(String eTag) {
        if (eTag != null && eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")) {
            return eTag.substring(1, eTag.length() - 1);
        }
        return eTag;
    }
}
