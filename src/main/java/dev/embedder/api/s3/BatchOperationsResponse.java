package dev.embedder.api.s3;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The answer S3 Batch Operations expects from a LambdaInvoke task (S3 user guide, "Invoke AWS Lambda function",
 * batch-ops-invoke-lambda.md: "Response and result codes"). Only the documented fields: the job's parser is not
 * documented to tolerate others, so the event kind is not added here (the schema version says it).
 *
 * @param treatMissingKeysAs what the job does with a task missing from {@code results}
 */
@RegisterForReflection
@JsonPropertyOrder({"invocationSchemaVersion", "treatMissingKeysAs", "invocationId", "results"})
public record BatchOperationsResponse(String invocationSchemaVersion, String treatMissingKeysAs, String invocationId,
        List<Result> results) {

    public static final String SUCCEEDED = "Succeeded";
    public static final String TEMPORARY_FAILURE = "TemporaryFailure";
    public static final String PERMANENT_FAILURE = "PermanentFailure";

    /**
     * @param resultString for {@code Succeeded} the written output (or why nothing had to be written); for
     *                     failures {@code <errorType>: <message>}, which the completion report lists
     */
    @RegisterForReflection
    @JsonPropertyOrder({"taskId", "resultCode", "resultString"})
    public record Result(String taskId, String resultCode, String resultString) {}
}
