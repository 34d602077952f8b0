package dev.embedder.api.s3;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The mock Lambda event server invokes the one exported function, and the default configuration exports
 * {@code embeddings}; the S3 tests need {@code embed-s3} there, which takes its own Quarkus start.
 *
 * <p>That start loads only the image model. Besides being quicker, this matters: a text model loads DJL's
 * tokenizer JNI library from a fixed path, and the JVM refuses to load it again in this second application
 * class loader while the first one is alive ("already loaded in another classloader"). ONNX Runtime extracts
 * its library to a fresh file each time and is not affected.
 */
public class S3FunctionProfile implements QuarkusTestProfile {

    public static final String BUCKET = "images";
    public static final String OTHER_ALLOWED_BUCKET = "photos";
    public static final String FORBIDDEN_BUCKET = "private";
    /** Above every test photo (the largest is about 90 KB), low enough to test the limit cheaply. */
    public static final long MAX_OBJECT_BYTES = 200_000;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.funqy.export", "embed-s3",
                "embedder.bundle.models", "mobilenet-v2-nsfwjs",
                "embedder.s3.allowed-buckets", BUCKET + "," + OTHER_ALLOWED_BUCKET,
                "embedder.s3.max-object-bytes", Long.toString(MAX_OBJECT_BYTES),
                // Short enough for S3FaultTest to wait out an S3 that never answers; real values: application.properties.
                "quarkus.s3.sync-client.socket-timeout", "1S",
                "quarkus.s3.api-call-timeout", "4S");
    }
}
