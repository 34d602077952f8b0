package dev.embedder.observability;

import java.util.concurrent.TimeUnit;

/**
 * What one embedding request spent where: tokenization on the caller's thread, the wait in the batcher's queue,
 * the model runs and the pooling of its micro-batches (the whole run of every micro-batch the request rode in,
 * as TEI reports it), plus its size. Filled by the service and the stages it calls, read by
 * {@link RequestObserver} for metrics, the log line, spans and the {@code x-*-time} headers. Never holds input
 * content.
 *
 * <p>The service makes one current for its thread ({@link #current()}); code deeper in the path (the batcher,
 * the text and image embedders) adds to it through {@link Stages} without a reference being passed around.
 */
public final class RequestTimings {

    private static final ThreadLocal<RequestTimings> CURRENT = new ThreadLocal<>();

    final long startNanos;
    final long startEpochNanos;
    final String route;
    volatile String model;
    volatile String modality;
    /** False for a request that only tokenizes ({@code /tokenize}): no model run, no inference meters or headers. */
    volatile boolean embeds = true;
    volatile int inputs;
    volatile int tokens;
    volatile long tokenizeStart;
    volatile long tokenizeEnd;
    volatile long queueStart;
    volatile long queueEnd;
    volatile long inferenceNanos;
    volatile long poolingNanos;
    volatile long runEnd;
    volatile int batchSequences;
    volatile long decodeNanos;
    volatile long imageBytes;
    volatile long endNanos;
    volatile String outcome;
    volatile String errorType;
    volatile String invocationId;

    RequestTimings(String route) {
        this.route = route;
        this.startEpochNanos = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
        this.startNanos = System.nanoTime();
    }

    /** The request the calling thread is working on, or null outside one. */
    public static RequestTimings current() {
        return CURRENT.get();
    }

    static void setCurrent(RequestTimings timings) {
        if (timings == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(timings);
        }
    }

    /**
     * A collector for one batcher round, on the worker thread or on the caller's own (a lone request): the embedder
     * adds its run and pooling times to it, and the batcher then hands them to each request of the round
     * ({@link #addRound}). Whatever the thread was timing before comes back at {@link #endRound}.
     */
    public static RequestTimings beginRound() {
        RequestTimings round = new RequestTimings("round");
        round.outer = CURRENT.get();
        CURRENT.set(round);
        return round;
    }

    /** Ends a round collector. */
    public void endRound() {
        runEnd = System.nanoTime();
        if (CURRENT.get() == this) {
            setCurrent(outer);
        }
    }

    /** What the thread was timing when this round began (thread-confined). */
    private RequestTimings outer;

    /** The queue wait of this request and the runs of the round that served it. */
    public void addRound(long enqueuedNanos, long dequeuedNanos, RequestTimings round) {
        queueStart = enqueuedNanos;
        queueEnd = dequeuedNanos;
        inferenceNanos += round.inferenceNanos;
        poolingNanos += round.poolingNanos;
        batchSequences = Math.max(batchSequences, round.batchSequences);
        runEnd = round.runEnd;
    }

    void addRun(int sequences, long inference, long pooling) {
        inferenceNanos += inference;
        poolingNanos += pooling;
        batchSequences = Math.max(batchSequences, sequences);
    }

    void addDecode(long bytes, long nanos) {
        imageBytes += bytes;
        decodeNanos += nanos;
    }

    public String route() {
        return route;
    }

    public String model() {
        return model;
    }

    public int inputs() {
        return inputs;
    }

    public int tokens() {
        return tokens;
    }

    public long tokenizationNanos() {
        return tokenizeEnd > tokenizeStart ? tokenizeEnd - tokenizeStart : 0;
    }

    public long queueNanos() {
        return queueEnd > queueStart ? queueEnd - queueStart : 0;
    }

    public long inferenceNanos() {
        return inferenceNanos;
    }

    public long poolingNanos() {
        return poolingNanos;
    }

    public long decodeNanos() {
        return decodeNanos;
    }

    /** From the service's entry to its answer (or to now, while it runs). */
    public long totalNanos() {
        return (endNanos != 0 ? endNanos : System.nanoTime()) - startNanos;
    }

    public String outcome() {
        return outcome;
    }

    long epochNanos(long nanoTime) {
        return startEpochNanos + (nanoTime - startNanos);
    }
}
