package dev.embedder.api.s3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embedder.config.EmbedderConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Writes an embedding document to {@code <output-bucket>/<output-prefix><source key>.json}. The key is a pure
 * function of the source key, so a redelivered event overwrites the same object instead of adding one.
 */
@ApplicationScoped
class OutputWriter {

    private final S3Client s3;
    private final ObjectMapper mapper;
    private final EmbedderConfig.S3 config;

    OutputWriter(S3Client s3, ObjectMapper mapper, EmbedderConfig config) {
        this.s3 = s3;
        this.mapper = mapper;
        this.config = config.s3();
    }

    /** @return the written object as {@code s3://bucket/key} */
    String write(SourceObject source, EmbeddingDocument document) {
        String bucket = config.outputBucket().orElse(source.bucket());
        String key = config.outputPrefix() + source.key() + ".json";
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the embedding document", e);
        }
        PutObjectRequest request = PutObjectRequest.builder().bucket(bucket).key(key).contentType("application/json")
                .build();
        try {
            dev.embedder.observability.Stages.s3Call("put", bucket,
                    () -> TransientRetry.once("PUT " + key, () -> s3.putObject(request, RequestBody.fromBytes(json))),
                    r -> json.length);
        } catch (S3Exception e) {
            throw RecordFailure.error(e.statusCode() == 403 ? "access_denied" : "s3_error",
                    "writing s3://" + bucket + "/" + key + " failed: " + S3Errors.describe(e));
        } catch (SdkException | UncheckedIOException e) {
            throw RecordFailure.error("s3_error", "writing s3://" + bucket + "/" + key + " failed: " + e.getMessage());
        }
        return "s3://" + bucket + "/" + key;
    }
}
