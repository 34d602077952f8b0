package dev.embedder.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embedder.testing.Golden;
import dev.embedder.testing.PackagedApp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application, as a user runs it: {@code java -jar … prefetch <id> --cache DIR} (no Quarkus boot), then a
 * fresh server process with HF_HUB_OFFLINE=1 on that cache: ready, the model's vectors, no request to the Hub.
 */
@EnabledIf("dev.embedder.hub.FakeHub#available")
class HubPrefetchIT {

    @Test
    void thePrefetchedCacheServesAFreshOfflineServer(@TempDir Path work) throws Exception {
        Path jar = PackagedApp.jar();
        String java = ProcessHandle.current().info().command().orElse("java");
        Path cache = work.resolve("cache");
        try (FakeHub hub = FakeHub.start(FakeHub.layOut(work.resolve("repos")), work.resolve("hub.log"))) {
            ProcessBuilder prefetch = new ProcessBuilder(java, "-jar", jar.toString(), "prefetch", FakeHub.MINILM,
                    "--cache", cache.toString()).redirectErrorStream(true).redirectOutput(work.resolve("p.log").toFile());
            prefetch.environment().put("HF_ENDPOINT", hub.endpoint());
            Process p = prefetch.start();
            assertTrue(p.waitFor(180, TimeUnit.SECONDS));
            String log = Files.readString(work.resolve("p.log"));
            assertEquals(0, p.exitValue(), log);
            assertTrue(log.contains("cache ready"), log);
            assertFalse(log.contains("Listening on") || log.contains("started in"), "prefetch booted Quarkus: " + log);
            int before = hub.requests().size();

            int port = freePort();
            ProcessBuilder server = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-jar", jar.toString())
                    .redirectErrorStream(true).redirectOutput(work.resolve("server.log").toFile());
            server.environment().put("HF_ENDPOINT", hub.endpoint());
            server.environment().put("HF_HUB_CACHE", cache.toString());
            server.environment().put("HF_HUB_OFFLINE", "1");
            server.environment().put("EMBEDDER_BUNDLE_MODELS", FakeHub.MINILM);
            server.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
            server.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
            server.environment().put("DJL_CACHE_DIR", work.resolve("djl").toString());
            Process s = server.start();
            try {
                Golden.Sentence sentence = Golden.load("all-minilm-l6-v2").sentences().get(0);
                JsonNode answer = embed(port, sentence.text(), s, work.resolve("server.log"));
                JsonNode vector = answer.path("data").path(0).path("embedding");
                for (int d = 0; d < sentence.mean_normalized().length; d++) {
                    assertEquals(sentence.mean_normalized()[d], vector.get(d).floatValue(), 1e-4, "dim " + d);
                }
                assertEquals(before, hub.requests().size(), "the offline server reached the Hub");
            } finally {
                s.destroy();
                if (!s.waitFor(20, TimeUnit.SECONDS)) {
                    s.destroyForcibly();
                }
            }
        }
    }

    private static JsonNode embed(int port, String text, Process server, Path log) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        String body = new ObjectMapper().createObjectNode().put("input", text).put("model", FakeHub.MINILM).toString();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            assertTrue(server.isAlive(), () -> "server exited: " + read(log));
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/v1/embeddings")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return new ObjectMapper().readTree(r.body());
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no embedding within 180 s: " + read(log));
    }

    private static String read(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
