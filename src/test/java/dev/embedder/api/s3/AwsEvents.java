package dev.embedder.api.s3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The AWS event envelopes around S3 notifications, shaped as the documentation shows them (sources in
 * shared/notes/aws-events.md): SQS batches from Lambda's event source mapping (Lambda developer guide,
 * with-sqs.md, "Example standard queue message event"), SNS envelopes as SQS receives them without raw delivery
 * (SNS developer guide, http-notification-json), EventBridge's "Object Created" (S3 user guide, ev-events.md) and
 * S3 Batch Operations invocations (S3 user guide, batch-ops-invoke-lambda.md for 1.0; the S3 control API's
 * LambdaInvokeOperation and aws-lambda-java-tests' s3_batch_event_v2.json for 2.0).
 */
final class AwsEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AwsEvents() {}

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One SQS message as the event source mapping hands it to Lambda. */
    static Map<String, Object> sqsMessage(String messageId, String body) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("messageId", messageId);
        m.put("receiptHandle", "MessageReceiptHandle-" + messageId);
        m.put("body", body);
        m.put("attributes", Map.of("ApproximateReceiveCount", "1", "SentTimestamp", "1545082649183",
                "SenderId", "AIDAIENQZJOLO23YVJ4VO", "ApproximateFirstReceiveTimestamp", "1545082649185"));
        m.put("messageAttributes", Map.of());
        m.put("md5OfBody", "098f6bcd4621d373cade4e832627b4f6");
        m.put("eventSource", "aws:sqs");
        m.put("eventSourceARN", "arn:aws:sqs:us-east-1:123456789012:embedder-uploads");
        m.put("awsRegion", "us-east-1");
        return m;
    }

    static Map<String, Object> sqsBatch(List<Map<String, Object>> messages) {
        return Map.of("Records", messages);
    }

    /** The SNS envelope an SQS subscription receives (RawMessageDelivery off): the S3 JSON is in Message. */
    static String snsEnvelope(String messageId, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Type", "Notification");
        m.put("MessageId", messageId);
        m.put("TopicArn", "arn:aws:sns:us-east-1:123456789012:embedder-uploads");
        m.put("Subject", "Amazon S3 Notification");
        m.put("Message", message);
        m.put("Timestamp", "2024-05-01T12:34:57.001Z");
        m.put("SignatureVersion", "1");
        m.put("Signature", "EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=");
        m.put("SigningCertURL", "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem");
        m.put("UnsubscribeURL", "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:123456789012:embedder-uploads:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55");
        return json(m);
    }

    /** S3's "Object Created" event on the default bus; the key exactly as given (encode it or not per test). */
    static Map<String, Object> eventBridge(String detailType, String bucket, String key, long size, String sequencer) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("key", key);
        object.put("size", size);
        object.put("etag", "b1946ac92492d2347c6235b4d2611184");
        object.put("sequencer", sequencer);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("version", "0");
        detail.put("bucket", Map.of("name", bucket));
        detail.put("object", object);
        detail.put("request-id", "57H08PA84AB1JZW0");
        detail.put("requester", "123456789012");
        detail.put("source-ip-address", "1.2.3.4");
        detail.put("reason", "PutObject");
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", "17793124-05d4-b198-2fde-7ededc63b103");
        event.put("detail-type", detailType);
        event.put("source", "aws.s3");
        event.put("account", "123456789012");
        event.put("time", "2024-05-01T12:34:56Z");
        event.put("region", "us-east-1");
        event.put("resources", List.of("arn:aws:s3:::" + bucket));
        event.put("detail", detail);
        return event;
    }

    /** A Batch Operations invocation; schema 1.0 names the bucket by ARN, 2.0 by name (and has userArguments). */
    static Map<String, Object> batch(String schema, List<Map<String, Object>> tasks) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("id", "f3cc4f60-61f6-4a2b-8a21-d07600c373ce");
        if ("2.0".equals(schema)) {
            job.put("userArguments", Map.of("purpose", "re-embed"));
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("invocationSchemaVersion", schema);
        event.put("invocationId", "YXNkbGZqYWRmaiBhc2RmdW9hZHNmZGpmaGFzbGtkaGZza2RmaAo");
        event.put("job", job);
        event.put("tasks", tasks);
        return event;
    }

    static Map<String, Object> batchTask(String schema, String taskId, String bucket, String encodedKey) {
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("taskId", taskId);
        task.put("s3Key", encodedKey);
        task.put("s3VersionId", null);
        if ("2.0".equals(schema)) {
            task.put("s3Bucket", bucket);
        } else {
            task.put("s3BucketArn", "arn:aws:s3:::" + bucket);
        }
        return task;
    }

    static List<Map<String, Object>> list() {
        return new ArrayList<>();
    }
}
