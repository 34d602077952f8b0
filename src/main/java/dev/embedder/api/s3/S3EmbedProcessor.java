package dev.embedder.api.s3;

import dev.embedder.config.EmbedderConfig;
import dev.embedder.error.InvalidInputException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The {@code embed-s3} pipeline: admit each record ({@link RecordGate}), read the admitted objects
 * ({@link ObjectReader}), embed them together ({@link BatchEmbedder}), write one document per object
 * ({@link OutputWriter}). Every per-record problem ends up in that record's outcome; only an event with no
 * records at all, or a service that cannot embed anything (model missing or not loaded), throws.
 */
@ApplicationScoped
class S3EmbedProcessor {

    private static final Logger LOG = Logger.getLogger(S3EmbedProcessor.class);

    private final RecordGate gate;
    private final ObjectReader reader;
    private final BatchEmbedder embedder;
    private final OutputWriter writer;
    private final EmbedderConfig config;

    S3EmbedProcessor(RecordGate gate, ObjectReader reader, BatchEmbedder embedder, OutputWriter writer,
            EmbedderConfig config) {
        this.gate = gate;
        this.reader = reader;
        this.embedder = embedder;
        this.writer = writer;
        this.config = config;
    }

    S3EmbedResult process(S3EventNotification event) {
        if (event != null && event.records() == null && S3EventNotification.TEST_EVENT.equals(event.event())) {
            LOG.info("embed-s3: S3 test event received; nothing to embed");
            return S3EmbedResult.of(List.of());
        }
        if (event == null || event.records() == null || event.records().isEmpty()) {
            throw new InvalidInputException("the event must be an S3 event notification with a non-empty 'Records' array");
        }
        List<S3EventNotification.EventRecord> records = event.records();
        S3EmbedResult.RecordOutcome[] outcomes = new S3EmbedResult.RecordOutcome[records.size()];
        List<Integer> positions = new ArrayList<>();
        List<FetchedObject> fetched = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            SourceObject source = null;
            try {
                source = gate.admit(records.get(i));
                fetched.add(reader.read(source));
                positions.add(i);
            } catch (RecordFailure f) {
                outcomes[i] = outcome(records.get(i), source, f);
            }
        }
        // The service caps inputs per call; stay under it (an S3 notification normally carries one record).
        int chunk = Math.max(1, config.limits().maxInputs());
        for (int from = 0; from < fetched.size(); from += chunk) {
            int to = Math.min(fetched.size(), from + chunk);
            embedAndWrite(fetched.subList(from, to), positions.subList(from, to), outcomes);
        }
        S3EmbedResult result = S3EmbedResult.of(Arrays.asList(outcomes));
        result.records().forEach(o -> dev.embedder.observability.Stages.s3Record(o.status(), o.errorType()));
        LOG.infof("embed-s3: %d record(s): %d embedded, %d failed, %d skipped", records.size(), result.processed(),
                result.failed(), result.skipped());
        return result;
    }

    private void embedAndWrite(List<FetchedObject> objects, List<Integer> positions,
            S3EmbedResult.RecordOutcome[] outcomes) {
        List<byte[]> images = new ArrayList<>(objects.size());
        objects.forEach(o -> images.add(o.bytes()));
        BatchEmbedder.Batch batch = embedder.embed(config.s3().model().orElse(null), images);
        for (int j = 0; j < objects.size(); j++) {
            FetchedObject object = objects.get(j);
            SourceObject source = object.source();
            BatchEmbedder.Embedded embedded = batch.items().get(j);
            try {
                if (embedded.failure() != null) {
                    throw embedded.failure();
                }
                EmbeddingDocument document = new EmbeddingDocument(batch.model(), batch.dimension(),
                        embedded.vector(), new EmbeddingDocument.Source(source.bucket(), source.key(), object.eTag(),
                                object.size(), object.versionId()), createdAt(source, object));
                outcomes[positions.get(j)] = S3EmbedResult.RecordOutcome.ok(source.bucket(), source.key(),
                        writer.write(source, document));
            } catch (RecordFailure f) {
                outcomes[positions.get(j)] = outcome(null, source, f);
            }
        }
    }

    private static S3EmbedResult.RecordOutcome outcome(S3EventNotification.EventRecord record, SourceObject source,
            RecordFailure failure) {
        String bucket;
        String key;
        if (source != null) {
            bucket = source.bucket();
            key = source.key();
        } else {
            // Not admitted: report what the event said, decoded if it can be.
            var s3 = record == null ? null : record.s3();
            bucket = s3 == null || s3.bucket() == null ? null : s3.bucket().name();
            String raw = s3 == null || s3.object() == null ? null : s3.object().key();
            key = raw == null ? null : decodeOrRaw(raw);
        }
        if (failure.skipped()) {
            LOG.infof("embed-s3: skipped s3://%s/%s: %s", bucket, key, failure.getMessage());
        } else {
            LOG.warnf("embed-s3: s3://%s/%s failed (%s): %s", bucket, key, failure.type(), failure.getMessage());
        }
        return S3EmbedResult.RecordOutcome.of(bucket, key, failure);
    }

    private static String decodeOrRaw(String raw) {
        try {
            return RecordGate.decodeKey(raw);
        } catch (RecordFailure e) {
            return raw;
        }
    }

    /**
     * The event's time, so that a redelivery writes the very same bytes; the object's Last-Modified when the
     * event has no usable time (e.g. a hand-written event over HTTP).
     */
    private static String createdAt(SourceObject source, FetchedObject object) {
        if (source.eventTime() != null) {
            try {
                return Instant.parse(source.eventTime()).toString();
            } catch (DateTimeParseException e) {
                // fall through to the object's own timestamp
            }
        }
        return object.lastModified() != null ? object.lastModified().toString() : null;
    }
}
