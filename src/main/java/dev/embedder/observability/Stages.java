package dev.embedder.observability;

import java.util.function.Supplier;

/**
 * The few calls the embedding path makes into observability, as static one-liners so the stages (batcher, text
 * and image embedders, S3 reader and writer, model loading) need no extra constructor argument. Each adds to the
 * current {@link RequestTimings} when there is one and records its per-run meters through
 * {@link EmbedderMetrics} once the application has installed it; before that (plain unit tests, benchmarks)
 * they only cost a null check.
 */
public final class Stages {

    private static volatile EmbedderMetrics metrics;
    private static volatile RequestSpans spans;

    private Stages() {}

    static void install(EmbedderMetrics installedMetrics, RequestSpans installedSpans) {
        metrics = installedMetrics;
        spans = installedSpans;
    }

    /**
     * One model run: {@code sequences} rows, {@code realTokens} of {@code paddedTokens} not padding (0 and 0 for
     * images), the ONNX Runtime call and the pooling of its output.
     */
    public static void run(String model, int sequences, long realTokens, long paddedTokens, long inferenceNanos,
            long poolingNanos) {
        RequestTimings current = RequestTimings.current();
        if (current != null) {
            current.addRun(sequences, inferenceNanos, poolingNanos);
        }
        EmbedderMetrics m = metrics;
        if (m != null) {
            m.run(model, sequences, realTokens, paddedTokens);
        }
    }

    /**
     * Micro-batches that ran side by side on other threads (their {@link #run} calls recorded the per-run meters
     * there, outside any request): the calling request is charged the section's wall time as inference, its
     * largest batch as batch size, so its timings still add up to at most its total time.
     */
    public static void parallelRuns(int largestBatch, long wallNanos) {
        RequestTimings current = RequestTimings.current();
        if (current != null) {
            current.addRun(largestBatch, wallNanos, 0);
        }
    }

    /** One image decoded from {@code bytes} encoded bytes. */
    public static void imageDecoded(long bytes, long nanos) {
        RequestTimings current = RequestTimings.current();
        if (current != null) {
            current.addDecode(bytes, nanos);
        }
        EmbedderMetrics m = metrics;
        if (m != null) {
            m.imageDecoded(current == null ? null : current.model, bytes, nanos);
        }
    }

    /** A bundle opened at startup. */
    public static void modelLoaded(String model, String modality, long nanos) {
        EmbedderMetrics.modelLoaded(model, modality, nanos);
    }

    /** One embed-s3 record's outcome ({@code ok}, {@code error}, {@code skipped}) and error type, if any. */
    public static void s3Record(String outcome, String errorType) {
        EmbedderMetrics m = metrics;
        if (m != null) {
            m.s3Record(outcome, errorType);
        }
    }

    /** An S3 call ({@code get}/{@code put}) as a span with the bucket and the object's size, never its key. */
    public static <T> T s3Call(String operation, String bucket, Supplier<T> call, java.util.function.ToLongFunction<T> size) {
        RequestSpans s = spans;
        return s == null ? call.get() : s.s3(operation, bucket, call, size);
    }
}
