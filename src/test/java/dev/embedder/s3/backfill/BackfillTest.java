package dev.embedder.s3.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.api.s3.S3FunctionProfile;
import dev.embedder.s3.ObjectOutcome;
import dev.embedder.s3.SourceObject;
import dev.embedder.testing.S3Objects;
import dev.embedder.testing.S3ProxyResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The backfill over an S3 prefix of 200 small images, interrupted in the middle (the same stop flag Ctrl-C sets)
 * and run again: the second run embeds exactly what the first did not, skips exactly what it did, and every object
 * ends with one output. Also prints the throughput (not asserted: the machine is shared).
 */
@QuarkusTest
@TestProfile(S3FunctionProfile.class)
@QuarkusTestResource(value = S3ProxyResource.class, restrictToAnnotatedClass = true)
class BackfillTest {

    private static final String BUCKET = S3FunctionProfile.BUCKET;
    private static final int OBJECTS = 200;

    @Inject
    S3Client s3;
    @Inject
    BackfillSources sources;

    @Test
    void anInterruptedBackfillResumesWithoutEmbeddingAnythingTwiceOrMissingAnything() {
        S3Objects.buckets(s3, List.of(BUCKET));
        for (int i = 0; i < OBJECTS; i++) {
            S3Objects.put(s3, BUCKET, String.format("bf/%03d.png", i), S3Objects.tinyPng(i));
        }
        S3Objects.put(s3, BUCKET, "embeddings/bf/old.png.json", "{}".getBytes()); // an output: never listed
        S3Objects.put(s3, BUCKET, "other/x.png", S3Objects.tinyPng(999));         // outside the prefix

        List<SourceObject> listed = sources.listS3(BUCKET, "bf/");
        assertEquals(OBJECTS, listed.size());

        Map<String, String> firstRun = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger seen = new AtomicInteger();
        Backfill.Summary first = Backfill.run(listed, sources::embedS3, 2, 8, listener(firstRun, () -> {
            if (seen.incrementAndGet() >= OBJECTS / 2) {
                stop.set(true);
            }
        }), stop);
        assertTrue(first.interrupted(), first.toString());
        assertTrue(first.embedded() >= OBJECTS / 2 && first.embedded() < OBJECTS, first.toString());
        assertEquals(0, first.failed());
        assertEquals(first.embedded(), outputs().size(), "what the first run reported is what it wrote");

        Map<String, String> secondRun = new ConcurrentHashMap<>();
        Backfill.Summary second = Backfill.run(sources.listS3(BUCKET, "bf/"), sources::embedS3, 2, 8,
                listener(secondRun, () -> {}), new AtomicBoolean());
        assertFalse(second.interrupted());
        assertEquals(0, second.failed());
        assertEquals(OBJECTS, second.done());
        assertEquals(first.embedded(), second.skipped(), "everything the first run embedded is skipped");
        assertEquals(OBJECTS - first.embedded(), second.embedded(), "everything else is embedded");
        for (Map.Entry<String, String> e : secondRun.entrySet()) {
            String before = firstRun.get(e.getKey());
            assertEquals("ok".equals(before) ? "skipped" : "ok", e.getValue(), e.getKey());
        }
        assertEquals(OBJECTS, outputs().size(), "nothing missed");
        System.out.printf("backfill of %d tiny images over S3Proxy, 2 workers x 8 per inference: %.1f images/s"
                        + " (interrupted run %d in %.1f s, resumed run %d in %.1f s, %d skipped)%n", OBJECTS,
                OBJECTS / (first.seconds() + second.seconds()), first.embedded(), first.seconds(), second.embedded(),
                second.seconds(), second.skipped());

        Backfill.Summary third = Backfill.run(sources.listS3(BUCKET, "bf/"), sources::embedS3, 2, 8,
                listener(new ConcurrentHashMap<>(), () -> {}), new AtomicBoolean());
        assertEquals(OBJECTS, third.skipped(), "a finished backfill has nothing left to do");
    }

    private Set<String> outputs() {
        Map<String, Long> keys = new TreeMap<>();
        s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("embeddings/bf/")).contents()
                .forEach(o -> keys.put(o.key(), o.size()));
        keys.remove("embeddings/bf/old.png.json");
        return keys.keySet();
    }

    private static Backfill.Listener listener(Map<String, String> fates, Runnable each) {
        return new Backfill.Listener() {
            @Override
            public void started(int total) {}

            @Override
            public void finished(ObjectOutcome outcome) {
                assertEquals(null, fates.put(outcome.key(), outcome.status()), "reported twice: " + outcome.key());
                each.run();
            }
        };
    }
}
