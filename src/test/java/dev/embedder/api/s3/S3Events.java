package dev.embedder.api.s3;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds S3 event notifications shaped like the ones S3 delivers to Lambda. */
final class S3Events {

    static final String EVENT_TIME = "2024-05-01T12:34:56.789Z";

    private final List<Map<String, Object>> records = new ArrayList<>();
    private String sequencer = "0055AED6DCD90281E5";

    static S3Events event() {
        return new S3Events();
    }

    /** An ObjectCreated:Put record for an object as stored (the key is encoded here, as S3 does). */
    S3Events put(String bucket, String key, long size) {
        return record("ObjectCreated:Put", bucket, key, size);
    }

    S3Events record(String eventName, String bucket, String key, long size) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("key", encode(key));
        object.put("size", size);
        object.put("eTag", "0123456789abcdef0123456789abcdef");
        object.put("sequencer", sequencer);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", "us-east-1");
        record.put("eventTime", EVENT_TIME);
        record.put("eventName", eventName);
        record.put("userIdentity", Map.of("principalId", "EXAMPLE"));
        record.put("s3", Map.of("s3SchemaVersion", "1.0", "configurationId", "embed",
                "bucket", Map.of("name", bucket, "arn", "arn:aws:s3:::" + bucket), "object", object));
        records.add(record);
        return this;
    }

    /** The sequencer of the records added from now on. */
    S3Events sequencer(String value) {
        this.sequencer = value;
        return this;
    }

    Map<String, Object> build() {
        return Map.of("Records", records);
    }

    /** S3's event encoding: form-style ({@code +} for space, UTF-8 {@code %XX}), but slashes left as they are. */
    static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }
}
