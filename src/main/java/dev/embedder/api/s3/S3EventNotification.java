package dev.embedder.api.s3;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import dev.embedder.s3.Keys;
import dev.embedder.s3.RecordFailure;
import dev.embedder.s3.SourceObject;
import java.util.ArrayList;
import java.util.List;


/**
 * The S3 event notification as S3 hands it to Lambda (and as an EventBridge/Knative bridge forwards it).
 * Our own records because aws-lambda-java-events' {@code S3Event} has no Jackson creators. Only the fields
 * the function reads are mapped; everything else (requestParameters, userIdentity, ...) is ignored.
 *
 * @param records the {@code Records} array; absent in S3's one-off {@code s3:TestEvent}
 * @param event   {@code s3:TestEvent} when S3 checks a new notification configuration, otherwise absent
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record S3EventNotification(@JsonProperty("Records") List<EventRecord> records,
        @JsonProperty("Event") String event) {

    /** The configuration probe S3 sends once when a notification is set up; it carries no object. */
    static final String TEST_EVENT = "s3:TestEvent";

    /**
     * The objects the records name, keys decoded. Records that create no object (deletes, restores, ...) are
     * skipped; records of another major {@code eventVersion} than 2 are refused (S3 documents minor versions as
     * compatible, a major one would not be).
     */
    List<SourceObject> sources() {
        List<SourceObject> out = new ArrayList<>();
        for (EventRecord record : records) {
            out.add(source(record));
        }
        return out;
    }

    private static SourceObject source(EventRecord record) {
        String bucket = record == null || record.s3() == null || record.s3().bucket() == null ? null
                : record.s3().bucket().name();
        String raw = record == null || record.s3() == null || record.s3().object() == null ? null
                : record.s3().object().key();
        String shown = Keys.formDecodedOrRaw(raw);
        if (isBlank(bucket) || isBlank(raw)) {
            return SourceObject.rejected(bucket, shown, RecordFailure.error(
                    "invalid_event", "the record has no s3.bucket.name or s3.object.key"));
        }
        if (record.eventVersion() != null && !record.eventVersion().startsWith("2.")) {
            return SourceObject.rejected(bucket, shown, RecordFailure.error(
                    "invalid_event", "eventVersion '" + record.eventVersion() + "' is not 2.x"));
        }
        // Deletions, restores, replication and so on name objects too, but there is nothing new to embed.
        if (record.eventName() != null && !record.eventName().startsWith("ObjectCreated:")) {
            return SourceObject.rejected(bucket, shown, RecordFailure.skip(
                    "event_ignored", "event '" + record.eventName() + "' does not create an object"));
        }
        String key;
        try {
            key = Keys.formDecoded(raw);
        } catch (RecordFailure f) {
            return SourceObject.rejected(bucket, raw, f);
        }
        S3Object object = record.s3().object();
        return SourceObject.of(bucket, key, object.size(), object.versionId(), object.eTag(),
                object.sequencer(), record.eventTime());
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /**
     * @param eventName e.g. {@code ObjectCreated:Put}
     * @param eventTime ISO-8601, e.g. {@code 2024-05-01T12:34:56.789Z}
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record EventRecord(@JsonProperty("eventVersion") String eventVersion,
            @JsonProperty("eventSource") String eventSource,
            @JsonProperty("eventName") String eventName,
            @JsonProperty("eventTime") String eventTime,
            @JsonProperty("awsRegion") String awsRegion,
            @JsonProperty("s3") S3Entity s3) {}

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record S3Entity(@JsonProperty("bucket") Bucket bucket, @JsonProperty("object") S3Object object) {}

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Bucket(@JsonProperty("name") String name, @JsonProperty("arn") String arn) {}

    /**
     * @param key the object key, URL-encoded the way S3 sends it ({@code +} for space, {@code %XX} otherwise)
     * @param size bytes; absent for some event types
     * @param versionId present when the bucket is versioned
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record S3Object(@JsonProperty("key") String key,
            @JsonProperty("size") Long size,
            @JsonProperty("eTag") String eTag,
            @JsonProperty("versionId") String versionId,
            @JsonProperty("sequencer") String sequencer) {}
}
