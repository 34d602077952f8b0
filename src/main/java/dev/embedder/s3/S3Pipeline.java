package dev.embedder.s3;

import dev.embedder.config.EmbedderConfig;
import dev.embedder.service.ModelRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * The S3 object pipeline every intake ends in: admit each object ({@link RecordGate}), look at the output already
 * written for it ({@link OutputWriter#existing}), read the object ({@link ObjectReader}), embed all of them in one
 * inference ({@link BatchEmbedder}), write one document per object. Intakes (S3 notifications, SQS, EventBridge,
 * Batch Operations, CloudEvents, the backfill command) only translate their events into {@link SourceObject}s and
 * the outcomes into their own signals.
 *
 * <p><b>Idempotent and ordered per key.</b> The output records the source's ETag, version id and the event's
 * sequencer. An event whose sequencer is older than the one in the existing output is skipped ({@code superseded}):
 * an older event never overwrites a newer one's result. A redelivered event writes byte-identical output. An
 * object without a sequencer (Batch Operations, backfill) whose output already names the same ETag, version and
 * model is skipped as {@code up_to_date}; with another model (an upgrade) it is embedded again. The check and the
 * write are two calls, so two deliveries for the same key processed at the same instant can still race; S3
 * delivers events for one key seconds apart, and SQS hands one message to one consumer at a time.
 *
 * <p>Only a service that cannot embed anything (model missing or not loaded) throws; every per-object problem is
 * in that object's outcome, with its retry class.
 */
@ApplicationScoped
public class S3Pipeline {

    private static final Logger LOG = Logger.getLogger(S3Pipeline.class);

    private final RecordGate gate;
    private final ObjectReader reader;
    private final BatchEmbedder embedder;
    private final OutputWriter writer;
    private final ModelRegistry registry;
    private final EmbedderConfig config;

    public S3Pipeline(RecordGate gate, ObjectReader reader, BatchEmbedder embedder, OutputWriter writer,
            ModelRegistry registry, EmbedderConfig config) {
        this.gate = gate;
        this.reader = reader;
        this.embedder = embedder;
        this.writer = writer;
        this.registry = registry;
        this.config = config;
    }

    /** One outcome per source, in the same order. */
    public List<ObjectOutcome> process(List<SourceObject> sources) {
        if (sources.isEmpty()) {
            return List.of();
        }
        ObjectOutcome[] outcomes = new ObjectOutcome[sources.size()];
        String model = registry.image(config.s3().model().orElse(null)).manifest().name();
        List<Integer> positions = new ArrayList<>();
        List<Pending> pending = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            SourceObject source = sources.get(i);
            try {
                if (source.rejection() != null) {
                    throw source.rejection();
                }
                Pending ready;
                try {
                    ready = prepare(source, model);
                } catch (RecordFailure f) {
                    if (!"not_found".equals(f.type()) || source.otherKey() == null) {
                        throw f;
                    }
                    source = source.withOtherKey();
                    ready = prepare(source, model);
                }
                pending.add(ready);
                positions.add(i);
            } catch (RecordFailure f) {
                outcomes[i] = outcome(source, f);
            }
        }
        // The service caps inputs per call; stay under it.
        int chunk = Math.max(1, config.limits().maxInputs());
        for (int from = 0; from < pending.size(); from += chunk) {
            int to = Math.min(pending.size(), from + chunk);
            embedAndWrite(model, pending.subList(from, to), positions.subList(from, to), outcomes);
        }
        for (ObjectOutcome o : outcomes) {
            dev.embedder.observability.Stages.s3Record(o.status(), o.errorType());
        }
        return Arrays.asList(outcomes);
    }

    private record Pending(FetchedObject object, OutputWriter.Existing existing) {}

    /** Admitted, not superseded, not already current, and read: ready to embed. */
    private Pending prepare(SourceObject source, String model) {
        gate.admit(source);
        OutputWriter.Existing existing = writer.existing(source);
        checkOrder(source, existing, model, source.eTag(), source.versionId());
        FetchedObject fetched = reader.read(source);
        checkOrder(source, existing, model, fetched.eTag(), fetched.versionId());
        return new Pending(fetched, existing);
    }

    /**
     * @param eTag      the ETag known at this point (the event's or listing's before the read, S3's after it)
     * @param versionId likewise
     */
    private static void checkOrder(SourceObject source, OutputWriter.Existing existing, String model, String eTag,
            String versionId) {
        if (existing == null) {
            return;
        }
        if (source.sequencer() != null && existing.sequencer() != null
                && Sequencers.compare(source.sequencer(), existing.sequencer()) < 0) {
            throw RecordFailure.skip("superseded", "the output was written for a later event (sequencer "
                    + existing.sequencer() + " > " + source.sequencer() + "); this older event is not applied");
        }
        if (source.sequencer() == null && eTag != null && eTag.equals(existing.eTag())
                && Objects.equals(versionId, existing.versionId()) && model.equals(existing.model())) {
            throw RecordFailure.skip("up_to_date", "the output already holds this version's embedding by '" + model
                    + "'");
        }
    }

    private void embedAndWrite(String model, List<Pending> objects, List<Integer> positions, ObjectOutcome[] outcomes) {
        List<byte[]> images = new ArrayList<>(objects.size());
        objects.forEach(o -> images.add(o.object().bytes()));
        BatchEmbedder.Batch batch = embedder.embed(model, images);
        for (int j = 0; j < objects.size(); j++) {
            FetchedObject object = objects.get(j).object();
            SourceObject source = object.source();
            BatchEmbedder.Embedded embedded = batch.items().get(j);
            try {
                if (embedded.failure() != null) {
                    throw embedded.failure();
                }
                EmbeddingDocument document = new EmbeddingDocument(batch.model(), batch.dimension(), embedded.vector(),
                        new EmbeddingDocument.Source(source.bucket(), source.key(), object.eTag(), object.size(),
                                object.versionId(), sequencer(source, objects.get(j).existing(), object)),
                        createdAt(source, object));
                outcomes[positions.get(j)] = ObjectOutcome.ok(source.bucket(), source.key(),
                        writer.write(source, document));
            } catch (RecordFailure f) {
                outcomes[positions.get(j)] = outcome(source, f);
            }
        }
    }

    /**
     * The event's sequencer; for a source without one (re-embedding the same version, e.g. after a model upgrade)
     * the one already recorded for that very version, so a late older event is still recognised as older.
     */
    private static String sequencer(SourceObject source, OutputWriter.Existing existing, FetchedObject object) {
        if (source.sequencer() != null) {
            return source.sequencer();
        }
        if (existing != null && object.eTag() != null && object.eTag().equals(existing.eTag())
                && Objects.equals(object.versionId(), existing.versionId())) {
            return existing.sequencer();
        }
        return null;
    }

    private static ObjectOutcome outcome(SourceObject source, RecordFailure failure) {
        if (failure.skipped()) {
            LOG.debugf("s3: skipped s3://%s/%s: %s", source.bucket(), source.key(), failure.getMessage());
        } else {
            LOG.warnf("s3: s3://%s/%s failed (%s, %s): %s", source.bucket(), source.key(), failure.type(),
                    failure.isTransient() ? "transient" : "permanent", failure.getMessage());
        }
        return ObjectOutcome.of(source.bucket(), source.key(), failure);
    }

    /**
     * The event's time, so that a redelivery writes the very same bytes; the object's Last-Modified when the
     * event has no usable time (Batch Operations, backfill, a hand-written event over HTTP).
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
