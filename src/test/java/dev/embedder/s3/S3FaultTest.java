package dev.embedder.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embedder.config.EmbedderConfig;
import dev.embedder.service.ModelRegistry;
import dev.embedder.api.s3.S3FunctionProfile;
import dev.embedder.testing.S3ProxyResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * embed-s3 when S3 misbehaves: access denied, S3 gone mid-run, S3 that accepts connections and never answers,
 * and writes that fail. Each record's fate is reported, the good records are written, and a failed record leaves
 * no output object (each output is one PutObject, so there is never a partial one to mistake for a result).
 * The pipeline is assembled here from the application's own beans, with the S3 client swapped for a faulty one.
 */
@QuarkusTest
@TestProfile(S3FunctionProfile.class)
@QuarkusTestResource(value = S3ProxyResource.class, restrictToAnnotatedClass = true)
class S3FaultTest {

    private static final String BUCKET = S3FunctionProfile.BUCKET;

    @Inject
    S3Client s3;
    @Inject
    RecordGate gate;
    @Inject
    BatchEmbedder embedder;
    @Inject
    EmbedderConfig config;
    @Inject
    ObjectMapper mapper;
    @Inject
    ModelRegistry registry;

    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(String.valueOf(record.getMessage()) + " " + java.util.Arrays.toString(record.getParameters()));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void setUp() {
        try {
            s3.createBucket(b -> b.bucket(BUCKET));
        } catch (BucketAlreadyOwnedByYouException alreadyThere) {
            // made by an earlier test
        }
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void secretsAreNeverLogged() {
        Logger.getLogger("").removeHandler(capture);
        for (String line : logged) {
            assertFalse(line.contains(S3ProxyResource.SECRET_KEY), "secret key in a log line: " + line);
        }
    }

    @Test
    void accessDeniedIsReportedPerRecordAndNothingIsWritten() {
        put("denied/a.png", image("coffee.png"));
        S3Client wrongKeys = client(S3ProxyResource.endpoint, "not-the-secret");
        try {
            List<ObjectOutcome> result = processor(wrongKeys, s3, config).process(objects("denied/a.png"));
            assertOutcome(result, 0, "error", "access_denied");
            assertFalse(result.get(0).retry(), "access denied is permanent");
            assertFalse(exists("embeddings/denied/a.png.json"));
        } finally {
            wrongKeys.close();
        }
    }

    @Test
    void anS3ThatStopsMidRunFailsItsRecordsWithAnS3Error() {
        S3ProxyResource second = new S3ProxyResource();
        Map<String, String> started = second.start();
        S3Client other = client(started.get("quarkus.s3.endpoint-override"), S3ProxyResource.SECRET_KEY);
        try {
            other.createBucket(b -> b.bucket(BUCKET));
            other.putObject(b -> b.bucket(BUCKET).key("down/a.png"), RequestBody.fromBytes(image("coffee.png")));
            second.stop();
            long start = System.nanoTime();
            List<ObjectOutcome> result = processor(other, other, config).process(objects("down/a.png", "down/b.png"));
            assertOutcome(result, 0, "error", "s3_error");
            assertOutcome(result, 1, "error", "s3_error");
            assertTrue(result.get(0).retry() && result.get(1).retry(), "S3 unreachable is transient");
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 30, "S3 down must fail fast");
        } finally {
            second.stop();
            other.close();
        }
    }

    @Test
    void anS3ThatNeverAnswersIsCutOffByTheConfiguredTimeouts() throws Exception {
        Duration socket = ConfigProvider.getConfig().getValue("quarkus.s3.sync-client.socket-timeout", Duration.class);
        Duration apiCall = ConfigProvider.getConfig().getValue("quarkus.s3.api-call-timeout", Duration.class);
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            // Accepts (bounded: at most 16 connections, or until closed) and never writes a byte.
            Thread acceptor = new Thread(() -> {
                try {
                    while (held.size() < 16) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, "silent-s3");
            acceptor.setDaemon(true);
            acceptor.start();
            S3Client hanging = S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + silent.getLocalPort()))
                    .region(Region.of(S3ProxyResource.REGION)).forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                            S3ProxyResource.ACCESS_KEY, S3ProxyResource.SECRET_KEY)))
                    .httpClient(UrlConnectionHttpClient.builder().socketTimeout(socket).connectionTimeout(socket).build())
                    .overrideConfiguration(c -> c.apiCallTimeout(apiCall))
                    .build();
            try {
                long start = System.nanoTime();
                List<ObjectOutcome> result = processor(hanging, hanging, config).process(objects("slow/a.png"));
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertOutcome(result, 0, "error", "s3_error");
                assertTrue(result.get(0).retry(), "a timeout is transient");
                // One GET, retried once on a fresh connection at most (TransientRetry): bounded by two API calls.
                assertTrue(took.compareTo(apiCall.multipliedBy(2).plusSeconds(5)) < 0, "took " + took);
            } finally {
                hanging.close();
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aMissingOutputBucketFailsTheWritesAndLeavesNoOutput() {
        put("nowhere/a.png", image("coffee.png"));
        put("nowhere/b.png", image("chelsea.png"));
        EmbedderConfig toMissingBucket = withOutputBucket(config, "no-such-output-bucket");
        List<ObjectOutcome> result = processor(s3, s3, toMissingBucket).process(objects("nowhere/a.png", "nowhere/b.png"));
        for (int i = 0; i < 2; i++) {
            assertOutcome(result, i, "error", "not_found");
            assertFalse(result.get(i).retry());
            assertTrue(result.get(i).error().contains("no-such-output-bucket"), result.get(i).error());
        }
        assertFalse(exists("embeddings/nowhere/a.png.json"));
    }

    @Test
    void oneFailedWriteDoesNotCostTheOtherRecordsTheirOutput() {
        put("mixed/good.png", image("coffee.png"));
        put("mixed/doomed.png", image("chelsea.png"));
        S3Client failingPuts = failingPutsFor("doomed", s3);
        List<ObjectOutcome> result = processor(s3, failingPuts, config).process(objects("mixed/good.png", "mixed/doomed.png"));
        assertOutcome(result, 0, "ok", null);
        assertOutcome(result, 1, "error", "s3_error");
        assertTrue(result.get(1).retry(), "an S3 500 is transient");
        assertTrue(exists("embeddings/mixed/good.png.json"));
        assertFalse(exists("embeddings/mixed/doomed.png.json"));
    }

    private S3Pipeline processor(S3Client reading, S3Client writing, EmbedderConfig cfg) {
        return new S3Pipeline(gate, new ObjectReader(reading, cfg), embedder, new OutputWriter(writing, mapper, cfg),
                registry, cfg);
    }

    private static List<SourceObject> objects(String... keys) {
        return java.util.Arrays.stream(keys).map(k -> SourceObject.of(BUCKET, k, 1L, null, null, null, null)).toList();
    }

    private static void assertOutcome(List<ObjectOutcome> result, int i, String status, String errorType) {
        ObjectOutcome outcome = result.get(i);
        assertEquals(status, outcome.status(), outcome.toString());
        assertEquals(errorType, outcome.errorType(), outcome.toString());
        if (!"ok".equals(status)) {
            assertNull(outcome.output(), outcome.toString());
            assertFalse(outcome.error().isBlank());
        }
    }

    private static S3Client client(String endpoint, String secret) {
        return S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.of(S3ProxyResource.REGION))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        S3ProxyResource.ACCESS_KEY, secret)))
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(5)).build())
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(10)))
                .build();
    }

    /** The real client, except that PutObject for keys containing {@code marker} fails as S3 would with a 500. */
    private static S3Client failingPutsFor(String marker, S3Client real) {
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("putObject") && args != null && args[0] instanceof PutObjectRequest put
                            && put.key().contains(marker)) {
                        throw S3Exception.builder().statusCode(500).message("injected write failure").build();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The application's configuration with another output bucket. */
    private static EmbedderConfig withOutputBucket(EmbedderConfig real, String bucket) {
        EmbedderConfig.S3 s3 = (EmbedderConfig.S3) Proxy.newProxyInstance(EmbedderConfig.class.getClassLoader(),
                new Class<?>[] {EmbedderConfig.S3.class}, (proxy, method, args) -> method.getName().equals("outputBucket")
                        ? Optional.of(bucket) : method.invoke(real.s3(), args));
        return (EmbedderConfig) Proxy.newProxyInstance(EmbedderConfig.class.getClassLoader(),
                new Class<?>[] {EmbedderConfig.class}, (proxy, method, args) -> method.getName().equals("s3")
                        ? s3 : method.invoke(real, args));
    }

    private void put(String key, byte[] bytes) {
        try {
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
        } catch (UncheckedIOException staleConnection) {
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
        }
    }

    private boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket(BUCKET).key(key));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static byte[] image(String name) {
        try (InputStream in = S3FaultTest.class.getResourceAsStream("/images/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
