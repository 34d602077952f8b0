package dev.embedder.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real S3 API for tests without Docker: S3Proxy (filesystem backend under {@code target/}) in a child JVM on
 * a free loopback port, with SigV4 auth on so the client signs requests as it would against AWS. The jar is
 * copied to {@code target/s3proxy/s3proxy.jar} by the build (maven-dependency-plugin, generate-test-resources);
 * it runs out of process because its fat jar carries Jetty, logback and Jackson 3, which must not meet the
 * Quarkus test classpath.
 */
public class S3ProxyResource implements QuarkusTestResourceLifecycleManager {

    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key";
    public static final String REGION = "us-east-1";

    private static final Path HOME = Path.of("target", "s3proxy");
    private static final Duration STARTUP = Duration.ofSeconds(60);

    /** {@code http://127.0.0.1:<port>} while running, for tests that build their own client. */
    public static volatile String endpoint;

    private Process process;
    private Path data;
    private Path conf;

    @Override
    public Map<String, String> start() {
        Path jar = HOME.resolve("s3proxy.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; it is copied in Maven's generate-test-resources phase"
                    + " (run the tests through ./mvnw)");
        }
        try {
            int port = freeLoopbackPort();
            // A fresh data directory per run (removed in stop()): no state leaks between test runs.
            data = Files.createDirectories(HOME.resolve("data-" + port));
            conf = HOME.resolve("s3proxy-" + port + ".conf");
            Files.writeString(conf, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + data.toAbsolutePath(),
                    ""));
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                    "-jar", jar.toString(), "--properties", conf.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(HOME.resolve("s3proxy-" + port + ".log").toFile());
            // The filesystem backend stores keys as file names; under a non-UTF-8 locale a key like "ä.png"
            // would not survive the round trip.
            builder.environment().put("LC_ALL", "C.UTF-8");
            process = builder.start();
            String url = "http://127.0.0.1:" + port;
            waitUntilAnswering(url);
            endpoint = url;
            return Map.of(
                    "quarkus.s3.endpoint-override", url,
                    "quarkus.s3.aws.region", REGION,
                    "quarkus.s3.aws.credentials.type", "static",
                    "quarkus.s3.aws.credentials.static-provider.access-key-id", ACCESS_KEY,
                    "quarkus.s3.aws.credentials.static-provider.secret-access-key", SECRET_KEY);
        } catch (IOException e) {
            stop();
            throw new IllegalStateException("cannot start S3Proxy: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException("interrupted while starting S3Proxy", e);
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Any HTTP status (an unsigned request gets 403) means the server is up. */
    private void waitUntilAnswering(String url) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("S3Proxy exited with " + process.exitValue() + "; see " + HOME + "/s3proxy-*.log");
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) URI.create(url + "/").toURL().openConnection();
                connection.setConnectTimeout(500);
                connection.setReadTimeout(2000);
                connection.getResponseCode();
                connection.disconnect();
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IOException("S3Proxy did not answer on " + url + " within " + STARTUP.toSeconds() + " s");
    }

    @Override
    public void stop() {
        endpoint = null;
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            process = null;
        }
        // The log stays for post-mortems; objects and config go, or every run would leave its buckets behind.
        deleteTree(data);
        deleteTree(conf);
        data = null;
        conf = null;
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Best effort: a leftover directory under target/ harms nothing.
        }
    }
}
