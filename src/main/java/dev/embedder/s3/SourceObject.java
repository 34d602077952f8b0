package dev.embedder.s3;

/**
 * One object an intake asks the pipeline to embed, with its key already decoded (each intake knows how its
 * events encode keys), or the reason the intake could not make sense of the record.
 *
 * @param eventSize  size the event claims, if any; checked again against S3's Content-Length
 * @param versionId  the version the event is about, if the bucket is versioned: reading exactly that
 *                   version keeps a late redelivery from embedding a newer upload under the old event
 * @param eTag       the ETag the event or listing names, if any (lets a backfill skip current outputs unread)
 * @param sequencer  S3's per-key event order (hex), if the intake has one; orders events for the same key
 * @param eventTime  the event's timestamp, raw; it becomes the output's {@code createdAt}
 * @param rejection  set when the record is unusable; the pipeline then only reports it
 * @param otherKey   a second reading of the key, tried when no object has {@code key} (EventBridge, whose key
 *                   encoding no source settles: the decoded form first, then the key as it came)
 */
public record SourceObject(String bucket, String key, Long eventSize, String versionId, String eTag,
        String sequencer, String eventTime, RecordFailure rejection, String otherKey) {

    public static SourceObject of(String bucket, String key, Long eventSize, String versionId, String eTag,
            String sequencer, String eventTime) {
        return new SourceObject(bucket, key, eventSize, blankToNull(versionId), blankToNull(eTag),
                blankToNull(sequencer), eventTime, null, null);
    }

    /** A record the intake could not turn into an object; reported with whatever bucket and key it named. */
    public static SourceObject rejected(String bucket, String key, RecordFailure why) {
        return new SourceObject(bucket, key, null, null, null, null, null, why, null);
    }

    public SourceObject orElseKey(String alternative) {
        return alternative == null || alternative.equals(key) ? this
                : new SourceObject(bucket, key, eventSize, versionId, eTag, sequencer, eventTime, rejection, alternative);
    }

    SourceObject withOtherKey() {
        return new SourceObject(bucket, otherKey, eventSize, versionId, eTag, sequencer, eventTime, rejection, null);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
