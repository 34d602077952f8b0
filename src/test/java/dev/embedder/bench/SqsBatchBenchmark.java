package dev.embedder.bench;

import static dev.embedder.testing.Http.lambda;

import dev.embedder.api.s3.S3FunctionProfile;
import dev.embedder.testing.S3Objects;
import dev.embedder.testing.S3ProxyResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * How long one SQS batch takes through the mock Lambda event server, by batch size (the input to the SAM template's
 * BatchSize). Not part of the suite (surefire runs *Test classes only); run it with
 * {@code ./mvnw test -Dtest=SqsBatchBenchmark -Dsurefire.failIfNoSpecifiedTests=false}. Photos of ~256 px from
 * src/test/resources/images, each batch a fresh set of keys so nothing is skipped as current.
 */
@QuarkusTest
@TestProfile(S3FunctionProfile.class)
@QuarkusTestResource(value = S3ProxyResource.class, restrictToAnnotatedClass = true)
class SqsBatchBenchmark {

    private static final String BUCKET = S3FunctionProfile.BUCKET;
    private static final List<String> PHOTOS = List.of("coffee.png", "chelsea.png", "rocket.jpg", "astronaut.jpg",
            "motorcycle_left.png");

    @Inject
    S3Client s3;

    @Test
    void batchTimesBySize() {
        S3Objects.buckets(s3, List.of(BUCKET));
        int[] sizes = {1, 5, 10, 20};
        int rounds = 3;
        int serial = 0;
        StringBuilder report = new StringBuilder("SQS batch size | ms per batch (median of " + rounds
                + ") | images/s\n");
        for (int warm = 0; warm < 2; warm++) {
            time(batch(10, "warm" + warm + "/"));
        }
        for (int size : sizes) {
            double[] ms = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ms[r] = time(batch(size, "bench-" + (serial++) + "/"));
            }
            Arrays.sort(ms);
            double median = ms[rounds / 2];
            report.append(String.format("%d | %.0f | %.1f%n", size, median, size * 1000 / median));
        }
        System.out.println(report);
    }

    private Map<String, Object> batch(int size, String prefix) {
        List<Map<String, Object>> messages = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String name = PHOTOS.get(i % PHOTOS.size());
            byte[] bytes = S3Objects.resource(name);
            String key = prefix + i + "-" + name;
            S3Objects.put(s3, BUCKET, key, bytes);
            String body = "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"eventTime\":"
                    + "\"2024-05-01T12:34:56.789Z\",\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\""
                    + BUCKET + "\"},\"object\":{\"key\":\"" + URLEncoder.encode(key, StandardCharsets.UTF_8)
                    .replace("%2F", "/") + "\",\"size\":" + bytes.length + ",\"sequencer\":\"0055AED6DCD90281E5\"}}}]}";
            messages.add(Map.of("messageId", "m-" + i, "body", body, "eventSource", "aws:sqs"));
        }
        return Map.of("Records", messages);
    }

    private static double time(Map<String, Object> batch) {
        long start = System.nanoTime();
        lambda().body(batch).post("/_lambda_").then().statusCode(200);
        return (System.nanoTime() - start) / 1e6;
    }
}
