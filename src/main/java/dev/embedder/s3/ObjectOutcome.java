package dev.embedder.s3;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What happened to one object.
 *
 * @param id        the intake's id for the record it came from (SQS messageId, Batch taskId), where it has one
 * @param key       decoded object key (as stored in S3), or the raw one if it could not be decoded
 * @param status    {@code ok}, {@code error} or {@code skipped}
 * @param output    {@code s3://bucket/key} of the written embedding, for {@code ok}
 * @param error     why the record failed or was skipped
 * @param errorType machine-readable reason, e.g. {@code not_found}, {@code invalid_input}, {@code superseded}
 * @param retry     for errors: whether trying again may succeed (throttling, S3 5xx, timeouts)
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"id", "bucket", "key", "status", "output", "error", "errorType", "retry"})
public record ObjectOutcome(@JsonInclude(JsonInclude.Include.NON_NULL) String id, String bucket, String key,
        String status, String output, String error, String errorType, boolean retry) {

    public static final String OK = "ok";
    public static final String ERROR = "error";
    public static final String SKIPPED = "skipped";

    public static ObjectOutcome ok(String bucket, String key, String output) {
        return new ObjectOutcome(null, bucket, key, OK, output, null, null, false);
    }

    public static ObjectOutcome of(String bucket, String key, RecordFailure failure) {
        return new ObjectOutcome(null, bucket, key, failure.skipped() ? SKIPPED : ERROR, null, failure.getMessage(),
                failure.type(), failure.isTransient());
    }

    public ObjectOutcome withId(String recordId) {
        return new ObjectOutcome(recordId, bucket, key, status, output, error, errorType, retry);
    }

    @JsonIgnore
    public boolean isOk() {
        return OK.equals(status);
    }

    @JsonIgnore
    public boolean isError() {
        return ERROR.equals(status);
    }

    @JsonIgnore
    public boolean isTransientError() {
        return isError() && retry;
    }
}
