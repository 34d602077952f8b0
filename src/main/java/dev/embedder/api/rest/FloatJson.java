package dev.embedder.api.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * JSON responses carry hundreds of floats per vector. Jackson writes them with {@code Float.toString} unless
 * told otherwise, which on JDK 17 is several times slower than the shortest-decimal writer Jackson bundles
 * (the same digits JDK 19+ prints; both read back to the identical float). Measured by
 * {@code bench.FloatJsonBenchmark}.
 */
@Singleton
public class FloatJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        configure(mapper);
    }

    /** The settings, for tools that build their own mapper. */
    public static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.enable(JsonGenerator.Feature.USE_FAST_DOUBLE_WRITER);
    }
}
