package dev.embedder.api.s3;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.embedder.s3.ObjectOutcome;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * What {@code embed-s3} returns for every intake but S3 Batch Operations (which gets its own documented shape,
 * {@link BatchOperationsResponse}): which kind of event it got, and one outcome per object, in event order.
 *
 * @param kind              {@code s3}, {@code s3-test-event}, {@code sqs}, {@code sns} or {@code eventbridge}
 * @param processed         objects whose embedding was written
 * @param failed            objects that could not be embedded or written
 * @param skipped           objects deliberately left alone (filters, superseded events, current outputs)
 * @param batchItemFailures SQS only: the messages SQS must deliver again (Lambda's ReportBatchItemFailures shape)
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"kind", "processed", "failed", "skipped", "records", "batchItemFailures"})
public record S3EmbedResult(String kind, int processed, int failed, int skipped, List<ObjectOutcome> records,
        List<BatchItemFailure> batchItemFailures) {

    static S3EmbedResult of(String kind, List<ObjectOutcome> outcomes, List<BatchItemFailure> failures) {
        int ok = 0;
        int failed = 0;
        for (ObjectOutcome o : outcomes) {
            if (o.isOk()) {
                ok++;
            } else if (o.isError()) {
                failed++;
            }
        }
        return new S3EmbedResult(kind, ok, failed, outcomes.size() - ok - failed, List.copyOf(outcomes),
                failures == null ? null : List.copyOf(failures));
    }

    /** One entry of {@code batchItemFailures}: the SQS messageId to redeliver. */
    @RegisterForReflection
    public record BatchItemFailure(String itemIdentifier) {}
}
