package dev.embedder.api.s3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embedder.api.JsonErrors;
import dev.embedder.error.InvalidInputException;
import dev.embedder.s3.ObjectOutcome;
import dev.embedder.s3.S3Pipeline;
import dev.embedder.s3.SourceObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Recognises which AWS event {@code embed-s3} was handed and lets that intake's adapter translate it for the
 * {@link S3Pipeline}. Shapes (all from the documented formats, see shared/notes/aws-events.md):
 * <ul>
 *   <li>an S3 event notification ({@code Records[].eventSource = aws:s3}), or S3's {@code s3:TestEvent};</li>
 *   <li>an SQS batch ({@code Records[].eventSource = aws:sqs}) whose bodies are S3 notifications, SNS envelopes of
 *       them (S3 → SNS → SQS) or EventBridge events: {@link SqsIntake};</li>
 *   <li>an SNS delivery ({@code Records[].EventSource = aws:sns}) of S3 notifications;</li>
 *   <li>an EventBridge event from S3 ({@code source = aws.s3}, {@code detail-type = Object Created}):
 *       {@link EventBridgeEvents};</li>
 *   <li>an S3 Batch Operations invocation, schema 1.0 or 2.0: {@link BatchOperationsIntake}.</li>
 * </ul>
 * A reply carries the body to return and the retry signal; each binding (Lambda, HTTP, CloudEvents) turns the
 * signal into its own: a thrown error, an HTTP status, or nothing (SQS and Batch Operations carry it in the body).
 */
@ApplicationScoped
public class S3Intakes {

    private static final Logger LOG = Logger.getLogger(S3Intakes.class);

    /** How the outcome of an event should be signalled to whoever delivered it. */
    public enum Signal {
        /** Every object ok, skipped, or failed for good with something else ok: nothing to deliver again. */
        DONE,
        /** At least one object failed transiently: deliver again (the rest is rewritten identically). */
        RETRY,
        /** Nothing succeeded and every failure is permanent: delivering again would fail the same way. */
        REJECTED
    }

    /**
     * @param body         what to answer
     * @param signal       the event's retry class
     * @param retryInBody  the body itself tells the sender what to retry (SQS, Batch Operations): never throw
     */
    public record Reply(String kind, Object body, Signal signal, boolean retryInBody) {}

    private final S3Pipeline pipeline;
    private final SqsIntake sqs;
    private final BatchOperationsIntake batch;
    private final ObjectMapper mapper;

    S3Intakes(S3Pipeline pipeline, SqsIntake sqs, BatchOperationsIntake batch, ObjectMapper mapper) {
        this.pipeline = pipeline;
        this.sqs = sqs;
        this.batch = batch;
        this.mapper = mapper;
    }

    public Reply handle(JsonNode event) {
        if (event == null || !event.isObject()) {
            throw new InvalidInputException("the event must be a JSON object: an S3 event notification, an SQS or SNS"
                    + " batch of them, an EventBridge 'Object Created' event or an S3 Batch Operations invocation");
        }
        if (event.has("invocationSchemaVersion") && event.has("tasks")) {
            return log(batch.handle(event));
        }
        if (EventBridgeEvents.matches(event)) {
            List<ObjectOutcome> outcomes = pipeline.process(List.of(EventBridgeEvents.source(event)));
            return log(objects("eventbridge", outcomes));
        }
        JsonNode records = event.get("Records");
        if (records == null && S3EventNotification.TEST_EVENT.equals(event.path("Event").asText(null))) {
            LOG.info("embed-s3: S3 test event received; nothing to embed");
            return new Reply("s3-test-event", S3EmbedResult.of("s3-test-event", List.of(), null), Signal.DONE, false);
        }
        if (records == null || !records.isArray() || records.isEmpty()) {
            throw new InvalidInputException("field 'Records' must be a non-empty array: the event must be an S3 event"
                    + " notification, an SQS or SNS batch, an EventBridge 'Object Created' event or an S3 Batch"
                    + " Operations invocation");
        }
        String source = eventSource(records.get(0));
        if ("aws:sqs".equals(source)) {
            return log(sqs.handle(records));
        }
        if ("aws:sns".equals(source)) {
            return log(objects("sns", pipeline.process(SqsIntake.snsSources(records, mapper))));
        }
        List<SourceObject> sources = read(event, S3EventNotification.class).sources();
        return log(objects("s3", pipeline.process(sources)));
    }

    private static String eventSource(JsonNode record) {
        JsonNode source = record.has("eventSource") ? record.get("eventSource") : record.path("EventSource");
        return source.asText(null);
    }

    /** For intakes that answer with {@link S3EmbedResult} and signal retries by failing. */
    static Reply objects(String kind, List<ObjectOutcome> outcomes) {
        return new Reply(kind, S3EmbedResult.of(kind, outcomes, null), signal(outcomes), false);
    }

    static Signal signal(List<ObjectOutcome> outcomes) {
        if (outcomes.stream().anyMatch(ObjectOutcome::isTransientError)) {
            return Signal.RETRY;
        }
        boolean anyError = outcomes.stream().anyMatch(ObjectOutcome::isError);
        boolean anyOk = outcomes.stream().anyMatch(o -> !o.isError());
        return anyError && !anyOk ? Signal.REJECTED : Signal.DONE;
    }

    private <T> T read(JsonNode event, Class<T> type) {
        try {
            return mapper.treeToValue(event, type);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(JsonErrors.describe(e));
        }
    }

    private static Reply log(Reply reply) {
        if (reply.body() instanceof S3EmbedResult r) {
            LOG.infof("embed-s3: %s event: %d embedded, %d failed, %d skipped%s", reply.kind(), r.processed(),
                    r.failed(), r.skipped(), r.batchItemFailures() == null ? ""
                            : ", " + r.batchItemFailures().size() + " message(s) to redeliver");
        }
        return reply;
    }
}
