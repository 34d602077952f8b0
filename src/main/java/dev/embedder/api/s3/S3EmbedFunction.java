package dev.embedder.api.s3;

import com.fasterxml.jackson.databind.JsonNode;
import dev.embedder.s3.ObjectOutcome;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The Funqy function {@code embed-s3}: embeds the images an S3-originated event names and writes each embedding
 * back to S3 as JSON. One function for every intake ({@link S3Intakes} tells them apart): S3 notifications, SQS
 * (with SNS envelopes), SNS, EventBridge and S3 Batch Operations on Lambda ({@code quarkus.funqy.export=embed-s3});
 * the same artifact answers {@code POST /embed-s3} over HTTP and CloudEvents of type {@code embed-s3} at {@code /}.
 *
 * <p>For the asynchronous intakes (S3, SNS, EventBridge) it throws when an object failed transiently, which is
 * their only retry signal; SQS and Batch Operations get their retry signal in the result instead.
 */
@ApplicationScoped
public class S3EmbedFunction {

    @Inject
    S3Intakes intakes;

    @Funq("embed-s3")
    public Object embedS3(JsonNode event) {
        S3Intakes.Reply reply = intakes.handle(event);
        if (reply.signal() == S3Intakes.Signal.RETRY && !reply.retryInBody()) {
            throw new RetryLaterException(reply.kind() + " event: deliver it again; failed transiently: "
                    + ((S3EmbedResult) reply.body()).records().stream().filter(ObjectOutcome::isTransientError)
                            .map(o -> "s3://" + o.bucket() + "/" + o.key() + " (" + o.error() + ")").toList());
        }
        return reply.body();
    }
}
