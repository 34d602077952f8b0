package dev.embedder.api.s3;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What {@code embed-s3} returns: one outcome per event record, in event order. Per-record failures are
 * reported here instead of thrown, so one bad object never makes Lambda retry (and re-embed) the good ones.
 *
 * @param processed records whose embedding was written
 * @param failed    records that could not be embedded or written
 * @param skipped   records deliberately left alone (outside the input prefix, under the output prefix, ...)
 */
@JsonPropertyOrder({"processed", "failed", "skipped", "records"})
public record S3EmbedResult(int processed, int failed, int skipped, List<RecordOutcome> records) {

    static S3EmbedResult of(List<RecordOutcome> outcomes) {
        int ok = 0;
        int failed = 0;
        for (RecordOutcome o : outcomes) {
            if (RecordOutcome.OK.equals(o.status())) {
                ok++;
            } else if (RecordOutcome.ERROR.equals(o.status())) {
                failed++;
            }
        }
        return new S3EmbedResult(ok, failed, outcomes.size() - ok - failed, List.copyOf(outcomes));
    }

    /**
     * @param key       decoded object key (as stored in S3), or the raw one if it could not be decoded
     * @param status    {@code ok}, {@code error} or {@code skipped}
     * @param output    {@code s3://bucket/key} of the written embedding, for {@code ok}
     * @param error     why the record failed or was skipped
     * @param errorType machine-readable reason, e.g. {@code not_found}, {@code invalid_input}
     */
    // Nulls are written out so every record has the same shape, whatever the mapper's defaults.
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"bucket", "key", "status", "output", "error", "errorType"})
    public record RecordOutcome(String bucket, String key, String status, String output, String error,
            String errorType) {

        static final String OK = "ok";
        static final String ERROR = "error";
        static final String SKIPPED = "skipped";

        static RecordOutcome ok(String bucket, String key, String output) {
            return new RecordOutcome(bucket, key, OK, output, null, null);
        }

        static RecordOutcome of(String bucket, String key, RecordFailure failure) {
            return new RecordOutcome(bucket, key, failure.skipped() ? SKIPPED : ERROR, null, failure.getMessage(),
                    failure.type());
        }
    }
}
