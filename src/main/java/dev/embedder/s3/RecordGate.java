package dev.embedder.s3;

import dev.embedder.config.EmbedderConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;

/**
 * Decides, before anything is read, whether an object may be embedded. Events are untrusted input (anyone who
 * can invoke the function can write one), so the bucket must be on the allow list: the pipeline reads only from
 * buckets the operator named, and only through the S3 API, never from a URL.
 */
@ApplicationScoped
public class RecordGate {

    private final EmbedderConfig.S3 config;
    private final Set<String> allowed;

    public RecordGate(EmbedderConfig config) {
        this.config = config.s3();
        this.allowed = Set.copyOf(this.config.allowedBuckets().orElse(List.of()).stream()
                .map(String::trim).filter(b -> !b.isEmpty()).toList());
    }

    /** @throws RecordFailure an error (malformed, not allowed, too large) or a skip (filters, loop guard) */
    void admit(SourceObject source) {
        if (isBlank(source.bucket()) || isBlank(source.key())) {
            throw RecordFailure.error("invalid_event", "the record names no bucket or no object key");
        }
        if (!allowed.contains(source.bucket())) {
            throw RecordFailure.error("bucket_not_allowed", "bucket '" + source.bucket()
                    + "' is not in embedder.s3.allowed-buckets; the object was not read");
        }
        if (isOutput(source.bucket(), source.key())) {
            throw RecordFailure.skip("output_prefix", "key is under the output prefix '" + config.outputPrefix()
                    + "' (an embedding this function wrote); skipped to avoid a trigger loop");
        }
        String inputPrefix = config.inputPrefix().orElse("");
        if (!source.key().startsWith(inputPrefix)) {
            throw RecordFailure.skip("input_prefix", "key is outside embedder.s3.input-prefix '" + inputPrefix + "'");
        }
        if (source.eventSize() != null && source.eventSize() > config.maxObjectBytes()) {
            throw RecordFailure.error("input_too_large", "object has " + source.eventSize()
                    + " bytes, the limit is " + config.maxObjectBytes() + " (embedder.s3.max-object-bytes)");
        }
    }

    /**
     * Without this, writing {@code <prefix><key>.json} into a bucket whose whole content triggers the function
     * would trigger it again for the output, forever.
     */
    public boolean isOutput(String bucket, String key) {
        return bucket.equals(config.outputBucket().orElse(bucket)) && key.startsWith(config.outputPrefix());
    }

    /** Whether the operator allowed reading this bucket. */
    public boolean allows(String bucket) {
        return allowed.contains(bucket);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
