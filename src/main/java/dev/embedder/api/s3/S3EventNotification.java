package dev.embedder.api.s3;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The S3 event notification as S3 hands it to Lambda (and as an EventBridge/Knative bridge forwards it).
 * Our own records because aws-lambda-java-events' {@code S3Event} has no Jackson creators. Only the fields
 * the function reads are mapped; everything else (requestParameters, userIdentity, ...) is ignored.
 *
 * @param records the {@code Records} array; absent in S3's one-off {@code s3:TestEvent}
 * @param event   {@code s3:TestEvent} when S3 checks a new notification configuration, otherwise absent
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record S3EventNotification(@JsonProperty("Records") List<EventRecord> records,
        @JsonProperty("Event") String event) {

    /** The configuration probe S3 sends once when a notification is set up; it carries no object. */
    static final String TEST_EVENT = "s3:TestEvent";

    /**
     * @param eventName e.g. {@code ObjectCreated:Put}
     * @param eventTime ISO-8601, e.g. {@code 2024-05-01T12:34:56.789Z}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record EventRecord(@JsonProperty("eventSource") String eventSource,
            @JsonProperty("eventName") String eventName,
            @JsonProperty("eventTime") String eventTime,
            @JsonProperty("awsRegion") String awsRegion,
            @JsonProperty("s3") S3Entity s3) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record S3Entity(@JsonProperty("bucket") Bucket bucket, @JsonProperty("object") S3Object object) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Bucket(@JsonProperty("name") String name, @JsonProperty("arn") String arn) {}

    /**
     * @param key the object key, URL-encoded the way S3 sends it ({@code +} for space, {@code %XX} otherwise)
     * @param size bytes; absent for some event types
     * @param versionId present when the bucket is versioned
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record S3Object(@JsonProperty("key") String key,
            @JsonProperty("size") Long size,
            @JsonProperty("eTag") String eTag,
            @JsonProperty("versionId") String versionId,
            @JsonProperty("sequencer") String sequencer) {}
}
