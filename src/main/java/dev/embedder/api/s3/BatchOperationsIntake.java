package dev.embedder.api.s3;

import com.fasterxml.jackson.databind.JsonNode;
import dev.embedder.s3.Keys;
import dev.embedder.s3.ObjectOutcome;
import dev.embedder.s3.RecordFailure;
import dev.embedder.s3.S3Pipeline;
import dev.embedder.s3.SourceObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * An S3 Batch Operations LambdaInvoke call (S3 user guide, batch-ops-invoke-lambda.md: "Example request"; schema
 * 2.0 from the S3 control API's LambdaInvokeOperation and aws-lambda-java-tests' s3_batch_event_v2.json). Schema 1.0
 * names the bucket by {@code s3BucketArn}, 2.0 by {@code s3Bucket}; keys are URL-encoded as in the manifest.
 * Tasks carry no event, so no sequencer: an object whose output already holds this version's embedding by the same
 * model is {@code Succeeded} without work, and re-running a job after a model change re-embeds everything.
 *
 * <p>Each task answers {@code Succeeded} (result string: the written output), {@code TemporaryFailure} (throttling,
 * S3 5xx, timeouts; the job redrives it) or {@code PermanentFailure} (not an image, too large, missing, denied), with
 * {@code <errorType>: <message>} as the string the completion report shows.
 */
@ApplicationScoped
class BatchOperationsIntake {

    private final S3Pipeline pipeline;

    BatchOperationsIntake(S3Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    S3Intakes.Reply handle(JsonNode event) {
        String schema = event.path("invocationSchemaVersion").asText("1.0");
        List<String> taskIds = new ArrayList<>();
        List<SourceObject> sources = new ArrayList<>();
        for (JsonNode task : event.path("tasks")) {
            taskIds.add(text(task.path("taskId")));
            sources.add(source(task));
        }
        List<ObjectOutcome> outcomes = pipeline.process(sources);
        List<BatchOperationsResponse.Result> results = new ArrayList<>(outcomes.size());
        for (int i = 0; i < outcomes.size(); i++) {
            results.add(result(taskIds.get(i), outcomes.get(i)));
        }
        BatchOperationsResponse response = new BatchOperationsResponse(schema,
                BatchOperationsResponse.PERMANENT_FAILURE, text(event.path("invocationId")), results);
        return new S3Intakes.Reply("s3-batch-" + schema, response, S3Intakes.signal(outcomes), true);
    }

    private static SourceObject source(JsonNode task) {
        String bucket = text(task.path("s3Bucket"));
        if (bucket == null) {
            // 1.0: arn:aws:s3:::bucket (the guide's own example also shows a region and account before the name)
            String arn = text(task.path("s3BucketArn"));
            bucket = arn == null ? null : arn.substring(arn.lastIndexOf(':') + 1);
        }
        String raw = text(task.path("s3Key"));
        if (bucket == null || bucket.isBlank() || raw == null || raw.isBlank()) {
            return SourceObject.rejected(bucket, raw, RecordFailure.error("invalid_event",
                    "the task has no s3Bucket/s3BucketArn or no s3Key"));
        }
        String key;
        try {
            key = Keys.formDecoded(raw);
        } catch (RecordFailure f) {
            return SourceObject.rejected(bucket, raw, f);
        }
        return SourceObject.of(bucket, key, null, text(task.path("s3VersionId")), null, null, null);
    }

    private static BatchOperationsResponse.Result result(String taskId, ObjectOutcome outcome) {
        if (outcome.isOk()) {
            return new BatchOperationsResponse.Result(taskId, BatchOperationsResponse.SUCCEEDED, outcome.output());
        }
        if (!outcome.isError()) {
            return new BatchOperationsResponse.Result(taskId, BatchOperationsResponse.SUCCEEDED,
                    "skipped (" + outcome.errorType() + "): " + outcome.error());
        }
        return new BatchOperationsResponse.Result(taskId, outcome.retry() ? BatchOperationsResponse.TEMPORARY_FAILURE
                : BatchOperationsResponse.PERMANENT_FAILURE, outcome.errorType() + ": " + outcome.error());
    }

    private static String text(JsonNode node) {
        return node.isValueNode() && !node.isNull() ? node.asText() : null;
    }
}
