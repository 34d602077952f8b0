package dev.embedder.api.s3;

import dev.embedder.config.EmbedderConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Decides, before anything is read, whether an event record may be embedded. The event is untrusted input
 * (anyone who can invoke the function can write one), so the bucket must be on the allow list: the function
 * reads only from buckets the operator named, and only through the S3 API, never from a URL.
 */
@ApplicationScoped
class RecordGate {

    private final EmbedderConfig.S3 config;
    private final Set<String> allowed;

    RecordGate(EmbedderConfig config) {
        this.config = config.s3();
        this.allowed = Set.copyOf(this.config.allowedBuckets().orElse(List.of()).stream()
                .map(String::trim).filter(b -> !b.isEmpty()).toList());
    }

    /**
     * @return the object to read, key decoded
     * @throws RecordFailure an error (malformed, not allowed, too large) or a skip (filters, loop guard)
     */
    SourceObject admit(S3EventNotification.EventRecord record) {
        if (record == null || record.s3() == null || record.s3().bucket() == null || record.s3().object() == null
                || isBlank(record.s3().bucket().name()) || isBlank(record.s3().object().key())) {
            throw RecordFailure.error("invalid_event", "the record has no s3.bucket.name or s3.object.key");
        }
        // Deletions, restores, replication and so on name objects too, but there is nothing new to embed.
        if (record.eventName() != null && !record.eventName().startsWith("ObjectCreated:")) {
            throw RecordFailure.skip("event_ignored", "event '" + record.eventName() + "' does not create an object");
        }
        String bucket = record.s3().bucket().name();
        S3EventNotification.S3Object object = record.s3().object();
        String key = decodeKey(object.key());
        if (!allowed.contains(bucket)) {
            throw RecordFailure.error("bucket_not_allowed", "bucket '" + bucket
                    + "' is not in embedder.s3.allowed-buckets; the object was not read");
        }
        // Without this, writing <prefix><key>.json into a bucket whose whole content triggers the function
        // would trigger it again for the output, forever.
        String prefix = config.outputPrefix();
        if (bucket.equals(config.outputBucket().orElse(bucket)) && key.startsWith(prefix)) {
            throw RecordFailure.skip("output_prefix", "key is under the output prefix '" + prefix
                    + "' (an embedding this function wrote); skipped to avoid a trigger loop");
        }
        String inputPrefix = config.inputPrefix().orElse("");
        if (!key.startsWith(inputPrefix)) {
            throw RecordFailure.skip("input_prefix", "key is outside embedder.s3.input-prefix '" + inputPrefix + "'");
        }
        if (object.size() != null && object.size() > config.maxObjectBytes()) {
            throw RecordFailure.error("input_too_large", "object has " + object.size()
                    + " bytes, the limit is " + config.maxObjectBytes() + " (embedder.s3.max-object-bytes)");
        }
        return new SourceObject(bucket, key, object.size(), blankToNull(object.versionId()), record.eventTime());
    }

    /**
     * S3 encodes keys in events like an HTML form: {@code +} for a space and {@code %XX} for UTF-8 bytes of
     * everything else, which is exactly what URLDecoder undoes (a literal {@code +} arrives as {@code %2B}).
     */
    static String decodeKey(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw RecordFailure.error("invalid_event", "object key '" + raw + "' is not URL-encoded as S3 sends it: "
                    + e.getMessage());
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String blankToNull(String s) {
        return isBlank(s) ? null : s;
    }
}
