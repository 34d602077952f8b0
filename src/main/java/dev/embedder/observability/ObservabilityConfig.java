package dev.embedder.observability;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code embedder.observability.*}: switches for what this package adds (README "Observability"). */
@ConfigMapping(prefix = "embedder.observability")
public interface ObservabilityConfig {

    /** Record the {@code embedder_*} meters (Quarkus's own HTTP and JVM meters are unaffected). */
    @WithDefault("true")
    boolean metrics();

    /** One INFO line per request in category {@code dev.embedder.request}. */
    @WithDefault("true")
    boolean requestLog();

    /** TEI's {@code x-tokenization-time}, {@code x-queue-time}, {@code x-inference-time}, {@code x-total-time}. */
    @WithDefault("true")
    boolean timingHeaders();

    /** Serve the playground page at {@code /playground} (on in dev mode). */
    @WithDefault("false")
    boolean playground();
}
