package dev.embedder.api.s3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embedder.config.EmbedderConfig;
import dev.embedder.s3.ObjectOutcome;
import dev.embedder.s3.RecordFailure;
import dev.embedder.s3.S3Pipeline;
import dev.embedder.s3.SourceObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An SQS batch from Lambda's event source mapping (Lambda developer guide, with-sqs.md: "Example standard queue
 * message event"). Each message body is an S3 event notification (S3 → SQS), an SNS envelope whose
 * {@code Message} is one (S3 → SNS → SQS without raw delivery; sns/http-notification-json), an EventBridge event
 * (a rule with an SQS target), or S3's {@code s3:TestEvent} (acknowledged, nothing to do).
 *
 * <p>All objects of the batch go through the pipeline together (one inference). The answer is Lambda's partial
 * batch response: {@code batchItemFailures} lists every message with an object that failed transiently, so SQS
 * delivers exactly those again after the visibility timeout (the event source mapping must set
 * {@code ReportBatchItemFailures}, else Lambda ignores the list and deletes the whole batch). Permanent failures
 * are acknowledged and reported in {@code records} and the log, or, with
 * {@code embedder.s3.permanent-failures=retry}, listed too so that maxReceiveCount moves them to the DLQ.
 *
 * <p>Funqy's own SQS handling ({@code quarkus.funqy.amazon-lambda.advanced-event-handling}) is switched off for
 * this: it calls the function once per message (no shared inference), replaces the result (so it could not say
 * what happened to each object), and treats every exception alike.
 */
@ApplicationScoped
class SqsIntake {

    private final S3Pipeline pipeline;
    private final ObjectMapper mapper;
    private final boolean retryPermanent;

    SqsIntake(S3Pipeline pipeline, ObjectMapper mapper, EmbedderConfig config) {
        this.pipeline = pipeline;
        this.mapper = mapper;
        this.retryPermanent = config.s3().permanentFailures() == EmbedderConfig.S3.PermanentFailures.RETRY;
    }

    S3Intakes.Reply handle(JsonNode records) {
        List<SourceObject> sources = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        Set<String> messages = new LinkedHashSet<>();
        for (JsonNode record : records) {
            String messageId = record.path("messageId").asText(null);
            messages.add(messageId);
            for (SourceObject source : sourcesOf(record.path("body"))) {
                sources.add(source);
                owners.add(messageId);
            }
        }
        List<ObjectOutcome> outcomes = pipeline.process(sources);
        List<ObjectOutcome> tagged = new ArrayList<>(outcomes.size());
        Set<String> redeliver = new LinkedHashSet<>();
        for (int i = 0; i < outcomes.size(); i++) {
            ObjectOutcome outcome = outcomes.get(i);
            tagged.add(outcome.withId(owners.get(i)));
            if (outcome.isTransientError() || (retryPermanent && outcome.isError())) {
                redeliver.add(owners.get(i));
            }
        }
        List<S3EmbedResult.BatchItemFailure> failures = redeliver.stream()
                .map(S3EmbedResult.BatchItemFailure::new).toList();
        return new S3Intakes.Reply("sqs", S3EmbedResult.of("sqs", tagged, failures), S3Intakes.signal(outcomes), true);
    }

    /** The objects one message names; an unreadable body becomes one permanently failed, unnamed object. */
    private List<SourceObject> sourcesOf(JsonNode bodyField) {
        JsonNode body;
        try {
            body = mapper.readTree(bodyField.asText(""));
        } catch (JsonProcessingException e) {
            body = null;
        }
        if (body != null && "Notification".equals(body.path("Type").asText(null)) && body.path("Message").isTextual()) {
            try {
                body = mapper.readTree(body.path("Message").asText());
            } catch (JsonProcessingException e) {
                body = null;
            }
        }
        if (body == null || !body.isObject()) {
            return List.of(unreadable("the message body is not JSON"));
        }
        if (EventBridgeEvents.matches(body)) {
            return List.of(EventBridgeEvents.source(body));
        }
        if (!body.has("Records") && S3EventNotification.TEST_EVENT.equals(body.path("Event").asText(null))) {
            return List.of();
        }
        try {
            S3EventNotification notification = mapper.treeToValue(body, S3EventNotification.class);
            if (notification.records() == null || notification.records().isEmpty()) {
                return List.of(unreadable("the message is not an S3 event notification (no 'Records')"));
            }
            return notification.sources();
        } catch (JsonProcessingException e) {
            return List.of(unreadable("the message is not an S3 event notification: " + e.getOriginalMessage()));
        }
    }

    private static SourceObject unreadable(String why) {
        return SourceObject.rejected(null, null, RecordFailure.error("invalid_event", why));
    }

    /** SNS delivering straight to Lambda: each record's {@code Sns.Message} is an S3 notification. */
    static List<SourceObject> snsSources(JsonNode records, ObjectMapper mapper) {
        List<SourceObject> out = new ArrayList<>();
        for (JsonNode record : records) {
            try {
                JsonNode message = mapper.readTree(record.path("Sns").path("Message").asText(""));
                if (message != null && message.has("Records")) {
                    out.addAll(mapper.treeToValue(message, S3EventNotification.class).sources());
                } else if (message == null || !S3EventNotification.TEST_EVENT.equals(message.path("Event").asText(null))) {
                    out.add(unreadable("the SNS message is not an S3 event notification"));
                }
            } catch (JsonProcessingException e) {
                out.add(unreadable("the SNS message is not JSON"));
            }
        }
        return out;
    }
}
