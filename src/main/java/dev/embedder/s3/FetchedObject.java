package dev.embedder.s3;

import java.time.Instant;

/**
 * An object's bytes with the metadata S3 returned for exactly those bytes (not the event's, which may be
 * stale): this is what the output's {@code source} describes.
 */
record FetchedObject(SourceObject source, byte[] bytes, String eTag, long size, String versionId,
        Instant lastModified) {}
