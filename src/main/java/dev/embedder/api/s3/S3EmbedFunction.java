package dev.embedder.api.s3;

import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;

/**
 * The Funqy function {@code embed-s3}: embeds the images an S3 event notification names and writes each
 * embedding back to S3 as JSON. Deployed to Lambda with {@code quarkus.funqy.export=embed-s3} behind an S3
 * ObjectCreated trigger; the same artifact answers {@code POST /embed-s3} over HTTP with the same event body.
 *
 * <p>It throws only when the event as a whole is unusable, so Lambda's retries (which re-run every record)
 * happen only when nothing could have succeeded; per-object problems are in the returned outcomes.
 */
@jakarta.enterprise.context.ApplicationScoped
public class S3EmbedFunction {

    @Inject
    S3EmbedProcessor processor;

    @Funq("embed-s3")
    public S3EmbedResult embedS3(S3EventNotification event) {
        return processor.process(event);
    }
}
