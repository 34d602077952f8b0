package dev.embedder.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Every Embedder meter, defined in this one place (README "Metrics" lists them with what to alert on). Micrometer
 * names, which the Prometheus registry turns into {@code embedder_*_seconds}, {@code *_total} and so on. Labels
 * are bounded: model names come from the loaded bundles, routes from a fixed list ({@link Routes}), outcomes and
 * error types from fixed sets; no input text, key or bucket is ever a label.
 *
 * <p>Meters are looked up once per label combination and kept, so the request path does a map lookup, not a
 * Micrometer registration, per recording.
 */
public final class EmbedderMetrics {

    /** Histogram buckets for request and stage latencies (Prometheus {@code le}); ~1 ms to 30 s. */
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofNanos(250_000), Duration.ofMillis(1),
            Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30)};
    private static final double[] COUNT_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
    private static final double[] TOKEN_BUCKETS = {8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384,
            32768, 65536};
    private static final double[] BYTE_BUCKETS = {4096, 16384, 65536, 262144, 1048576, 4194304, 16777216};

    /** Load time per bundle; kept statically because bundles load before this bean exists (at startup). */
    private static final Map<String, long[]> LOAD_NANOS = new ConcurrentHashMap<>();
    private static final Map<String, String> LOAD_MODALITY = new ConcurrentHashMap<>();
    private static volatile EmbedderMetrics installed;

    private final MeterRegistry registry;
    private final boolean enabled;
    private final Map<Object, Timer> timers = new ConcurrentHashMap<>();
    private final Map<Object, DistributionSummary> summaries = new ConcurrentHashMap<>();
    private final Map<Object, Counter> counters = new ConcurrentHashMap<>();

    EmbedderMetrics(MeterRegistry registry, boolean enabled) {
        this.registry = registry;
        this.enabled = enabled;
    }

    void install() {
        installed = this;
        LOAD_NANOS.forEach((model, nanos) -> registerLoad(model, nanos));
    }

    boolean enabled() {
        return enabled;
    }

    static void modelLoaded(String model, String modality, long nanos) {
        long[] holder = {nanos};
        LOAD_NANOS.put(model, holder);
        LOAD_MODALITY.put(model, modality);
        EmbedderMetrics m = installed;
        if (m != null) {
            m.registerLoad(model, holder);
        }
    }

    private void registerLoad(String model, long[] nanos) {
        TimeGauge.builder("embedder.model.load.duration", nanos, TimeUnit.NANOSECONDS, n -> n[0])
                .description("Time to open the bundle at startup (files, tokenizer, ONNX Runtime session)")
                .tags("model", model, "modality", LOAD_MODALITY.getOrDefault(model, "unknown"))
                .register(registry);
    }

    /** Sequences waiting in a text model's dynamic batcher. */
    <T> void queueDepth(String model, T batcher, ToDoubleFunction<T> depth) {
        Gauge.builder("embedder.queue.depth", batcher, depth)
                .description("Token sequences waiting in the dynamic batcher's queue")
                .baseUnit("sequences")
                .tags("model", model)
                .register(registry);
    }

    /** A finished request: its duration by model, route and outcome, and its stage split and size. */
    void request(RequestTimings t) {
        if (!enabled) {
            return;
        }
        String model = t.model == null ? "none" : t.model;
        timer("embedder.requests", "Embedding requests by model, route and outcome, from the service's entry to"
                + " its answer", "model", model, "route", t.route, "outcome", t.outcome)
                .record(t.totalNanos(), TimeUnit.NANOSECONDS);
        if (t.model == null || !"success".equals(t.outcome)) {
            return;
        }
        if (t.tokenizeEnd != 0) {
            timer("embedder.tokenization.duration", "Tokenization of one request's texts", "model", model)
                    .record(t.tokenizationNanos(), TimeUnit.NANOSECONDS);
        }
        if (t.queueEnd != 0) {
            timer("embedder.queue.duration", "Wait in the dynamic batcher's queue before the request's round ran",
                    "model", model).record(t.queueNanos(), TimeUnit.NANOSECONDS);
        }
        if (t.embeds) {
            timer("embedder.inference.duration", "ONNX Runtime time of the runs that served the request", "model",
                    model).record(t.inferenceNanos, TimeUnit.NANOSECONDS);
            timer("embedder.pooling.duration", "Pooling of those runs' outputs", "model", model)
                    .record(t.poolingNanos, TimeUnit.NANOSECONDS);
        }
        summary("embedder.request.inputs", "Inputs (texts or images) per request", null, COUNT_BUCKETS,
                "model", model).record(t.inputs);
        if ("text".equals(t.modality)) {
            summary("embedder.request.tokens", "Tokens per request (after truncation, special tokens included)",
                    "tokens", TOKEN_BUCKETS, "model", model).record(t.tokens);
        }
    }

    /** A request that failed with a known error type; 429 and 503 also count as rejections. */
    void error(String route, String type, int status) {
        if (!enabled) {
            return;
        }
        counter("embedder.errors", "Failed embedding requests by error type", "route", route, "type", type)
                .increment();
        if (status == 429 || status == 503) {
            counter("embedder.rejections", "Requests refused for load (429: queue full) or readiness (503)",
                    "route", route, "status", Integer.toString(status), "reason", type).increment();
        }
    }

    void run(String model, int sequences, long realTokens, long paddedTokens) {
        if (!enabled || model == null) {
            return;
        }
        summary("embedder.batch.size", "Sequences (or images) per model run", null, COUNT_BUCKETS, "model", model)
                .record(sequences);
        if (paddedTokens > 0) {
            summary("embedder.batch.tokens", "Tokens per model run: real (attended) and padded (the tensor's size)",
                    "tokens", TOKEN_BUCKETS, "model", model, "kind", "real").record(realTokens);
            summary("embedder.batch.tokens", "Tokens per model run: real (attended) and padded (the tensor's size)",
                    "tokens", TOKEN_BUCKETS, "model", model, "kind", "padded").record(paddedTokens);
        }
    }

    void imageDecoded(String model, long bytes, long nanos) {
        if (!enabled) {
            return;
        }
        String m = model == null ? "none" : model;
        timer("embedder.image.decode.duration", "Decoding one image (before resize and normalisation)", "model", m)
                .record(nanos, TimeUnit.NANOSECONDS);
        summary("embedder.image.size", "Encoded size of one image", "bytes", BYTE_BUCKETS, "model", m)
                .record(bytes);
    }

    void s3Record(String outcome, String errorType) {
        if (!enabled) {
            return;
        }
        counter("embedder.s3.records", "embed-s3 records by outcome (ok, error, skipped) and error type",
                "outcome", outcome, "type", errorType == null ? "none" : errorType).increment();
    }

    private Timer timer(String name, String description, String... tags) {
        return timers.computeIfAbsent(key(name, tags), k -> Timer.builder(name).description(description)
                .tags(tags).serviceLevelObjectives(LATENCY_BUCKETS).register(registry));
    }

    private DistributionSummary summary(String name, String description, String unit, double[] buckets,
            String... tags) {
        return summaries.computeIfAbsent(key(name, tags), k -> DistributionSummary.builder(name)
                .description(description).baseUnit(unit).tags(tags).serviceLevelObjectives(buckets).register(registry));
    }

    private Counter counter(String name, String description, String... tags) {
        return counters.computeIfAbsent(key(name, tags), k -> Counter.builder(name).description(description)
                .tags(tags).register(registry));
    }

    private static Object key(String name, String... tags) {
        return java.util.List.of(name, java.util.List.of(tags));
    }
}
