package dev.embedder.s3;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The JSON object written for each source object. Every field derives from the object and the event (never the
 * wall clock), so a redelivered event rewrites a byte-identical document.
 *
 * @param createdAt the event's time (ISO-8601), falling back to the object's Last-Modified
 */
@RegisterForReflection
@JsonPropertyOrder({"model", "dimension", "embedding", "source", "createdAt"})
public record EmbeddingDocument(String model, int dimension, float[] embedding, Source source, String createdAt) {

    /**
     * Which object version was embedded, and by which event: {@code versionId} only for versioned buckets,
     * {@code sequencer} only when an S3 event (not a Batch Operations job or a backfill) produced it. A later event
     * for the key compares its sequencer with this one, so an older event never overwrites a newer result.
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"bucket", "key", "eTag", "size", "versionId", "sequencer"})
    public record Source(@JsonProperty("bucket") String bucket, @JsonProperty("key") String key,
            @JsonProperty("eTag") String eTag, @JsonProperty("size") long size,
            @JsonProperty("versionId") String versionId, @JsonProperty("sequencer") String sequencer) {}
}
