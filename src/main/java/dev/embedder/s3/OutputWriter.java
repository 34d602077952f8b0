package dev.embedder.s3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embedder.config.EmbedderConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Writes an embedding document to {@code <output-bucket>/<output-prefix><source key>.json}, and reads back what is
 * there. The key is a pure function of the source key, so a redelivered event overwrites the same object instead
 * of adding one, and the document already written says which object version and event produced it.
 */
@ApplicationScoped
public class OutputWriter {

    private final S3Client s3;
    private final ObjectMapper mapper;
    private final EmbedderConfig.S3 config;

    public OutputWriter(S3Client s3, ObjectMapper mapper, EmbedderConfig config) {
        this.s3 = s3;
        this.mapper = mapper;
        this.config = config.s3();
    }

    /** What an existing output says about its source; {@code null} fields where the document has none. */
    public record Existing(String model, String eTag, String versionId, String sequencer) {}

    String bucketFor(SourceObject source) {
        return config.outputBucket().orElse(source.bucket());
    }

    String keyFor(SourceObject source) {
        return config.outputPrefix() + source.key() + ".json";
    }

    /**
     * @return the output already written for this source, or {@code null} if there is none (or it is not one of
     *         ours: an unreadable document never blocks a new result)
     */
    Existing existing(SourceObject source) {
        String bucket = bucketFor(source);
        String key = keyFor(source);
        byte[] bytes;
        try {
            bytes = TransientRetry.once("GET " + key, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(key))
                    .asByteArray());
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw S3Errors.failure("reading the existing output s3://" + bucket + "/" + key, e, bucket, key);
        } catch (RuntimeException e) {
            throw S3Errors.failure("reading the existing output s3://" + bucket + "/" + key, e, bucket, key);
        }
        return parse(bytes);
    }

    Existing parse(byte[] bytes) {
        try {
            JsonNode doc = mapper.readTree(bytes);
            JsonNode source = doc.path("source");
            return new Existing(text(doc.path("model")), text(source.path("eTag")), text(source.path("versionId")),
                    text(source.path("sequencer")));
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    byte[] serialise(EmbeddingDocument document) {
        try {
            return mapper.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the embedding document", e);
        }
    }

    /** @return the written object as {@code s3://bucket/key} */
    String write(SourceObject source, EmbeddingDocument document) {
        String bucket = bucketFor(source);
        String key = keyFor(source);
        byte[] json = serialise(document);
        PutObjectRequest request = PutObjectRequest.builder().bucket(bucket).key(key).contentType("application/json")
                .build();
        try {
            dev.embedder.observability.Stages.s3Call("put", bucket,
                    () -> TransientRetry.once("PUT " + key, () -> s3.putObject(request, RequestBody.fromBytes(json))),
                    r -> json.length);
        } catch (RuntimeException e) {
            throw S3Errors.failure("writing s3://" + bucket + "/" + key, e, bucket, key);
        }
        return "s3://" + bucket + "/" + key;
    }
}
