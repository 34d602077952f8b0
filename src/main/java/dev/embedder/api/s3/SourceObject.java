package dev.embedder.api.s3;

/**
 * One admitted event record: the object to read, with its key already URL-decoded.
 *
 * @param eventSize  size the event claims, if any; checked again against S3's Content-Length
 * @param versionId  the version the event is about, if the bucket is versioned: reading exactly that
 *                   version keeps a late redelivery from embedding a newer upload under the old event
 * @param eventTime  the event's timestamp, raw; it becomes the output's {@code createdAt}
 */
record SourceObject(String bucket, String key, Long eventSize, String versionId, String eventTime) {}
