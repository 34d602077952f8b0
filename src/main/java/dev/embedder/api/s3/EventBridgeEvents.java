package dev.embedder.api.s3;

import com.fasterxml.jackson.databind.JsonNode;
import dev.embedder.s3.Keys;
import dev.embedder.s3.RecordFailure;
import dev.embedder.s3.SourceObject;

/**
 * S3 events as EventBridge delivers them (S3 user guide, ev-events.md: "EventBridge event message structure"):
 * {@code detail-type} names the event, {@code detail.object} carries {@code key}, {@code size}, {@code etag},
 * {@code version-id} and {@code sequencer}, {@code time} the event time.
 *
 * <p>The key's encoding is not settled by any source we found (the S3 notification documents form-URL-encoding;
 * the EventBridge page does not say; AWS's Powertools decodes it as the notification's). So the key is decoded as
 * in a notification first and, if no such object exists, used exactly as it came; a key that is not valid
 * form-encoding ({@code 50%.png}) is used as it came.
 */
final class EventBridgeEvents {

    static final String OBJECT_CREATED = "Object Created";

    private EventBridgeEvents() {}

    static boolean matches(JsonNode event) {
        return event.has("detail-type") && "aws.s3".equals(event.path("source").asText(null));
    }

    static SourceObject source(JsonNode event) {
        JsonNode detail = event.path("detail");
        String bucket = text(detail.path("bucket").path("name"));
        String raw = text(detail.path("object").path("key"));
        if (bucket == null || raw == null || raw.isBlank()) {
            return SourceObject.rejected(bucket, raw, RecordFailure.error("invalid_event",
                    "the event has no detail.bucket.name or detail.object.key"));
        }
        String type = event.path("detail-type").asText();
        if (!OBJECT_CREATED.equals(type)) {
            return SourceObject.rejected(bucket, raw, RecordFailure.skip("event_ignored",
                    "event '" + type + "' does not create an object"));
        }
        String key;
        try {
            key = Keys.formDecoded(raw);
        } catch (RecordFailure notEncoded) {
            key = raw;
        }
        JsonNode object = detail.path("object");
        Long size = object.path("size").canConvertToLong() ? object.path("size").asLong() : null;
        return SourceObject.of(bucket, key, size, text(object.path("version-id")), text(object.path("etag")),
                text(object.path("sequencer")), text(event.path("time"))).orElseKey(raw);
    }

    private static String text(JsonNode node) {
        return node.isValueNode() && !node.isNull() ? node.asText() : null;
    }
}
