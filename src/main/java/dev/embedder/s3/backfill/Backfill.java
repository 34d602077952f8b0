package dev.embedder.s3.backfill;

import dev.embedder.s3.ObjectOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs a backfill: the listed objects in chunks (one inference each), {@code parallel} chunks at a time, until all
 * are done or {@code stop} is set. Stopping is graceful: no new chunk starts, the running ones finish and write their
 * outputs, so a resumed run (which skips every object whose output is current) embeds nothing twice.
 */
public final class Backfill {

    /** Told about progress; called from worker threads. */
    public interface Listener {
        void started(int total);

        void finished(ObjectOutcome outcome);
    }

    /** Counts at the end (or at the interruption). */
    public record Summary(int total, int embedded, int skipped, int failed, boolean interrupted, double seconds) {
        public int done() {
            return embedded + skipped + failed;
        }
    }

    private Backfill() {}

    public static <T> Summary run(List<T> items, Function<List<T>, List<ObjectOutcome>> work, int parallel, int chunk,
            Listener listener, AtomicBoolean stop) {
        long start = System.nanoTime();
        listener.started(items.size());
        AtomicInteger embedded = new AtomicInteger();
        AtomicInteger skipped = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        int threads = Math.max(1, parallel);
        Semaphore slots = new Semaphore(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "backfill");
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> running = new ArrayList<>();
        boolean interrupted = false;
        try {
            for (int from = 0; from < items.size(); from += Math.max(1, chunk)) {
                slots.acquire();
                if (stop.get()) {
                    slots.release();
                    interrupted = true;
                    break;
                }
                List<T> part = List.copyOf(items.subList(from, Math.min(items.size(), from + Math.max(1, chunk))));
                running.add(pool.submit(() -> {
                    try {
                        for (ObjectOutcome o : work.apply(part)) {
                            (o.isOk() ? embedded : o.isError() ? failed : skipped).incrementAndGet();
                            listener.finished(o);
                        }
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            interrupted = true;
        } catch (java.util.concurrent.ExecutionException e) {
            // A chunk failed as a whole (model not loaded): nothing else can succeed either.
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
        interrupted |= stop.get() && embedded.get() + skipped.get() + failed.get() < items.size();
        return new Summary(items.size(), embedded.get(), skipped.get(), failed.get(), interrupted,
                (System.nanoTime() - start) / 1e9);
    }
}
