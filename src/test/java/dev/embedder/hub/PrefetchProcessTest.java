package dev.embedder.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Separate processes on one cache, each running {@code EmbedderMain prefetch} (the same Hub source a server start
 * uses): two at once, one killed mid-download, a fresh one offline, and huggingface-cli's layout written and read
 * by an independent program ({@code hf_cache_layout.py}).
 */
@EnabledIf("dev.embedder.hub.FakeHub#available")
class PrefetchProcessTest {

    static final Path LAYOUT = Path.of("src/test/hub-server/hf_cache_layout.py");

    @TempDir
    static Path work;
    static Path root;
    static String modelSha;

    @BeforeAll
    static void layOut() throws Exception {
        root = FakeHub.layOut(work.resolve("repos"));
        modelSha = HubRepositoryTest.sha256(root.resolve(FakeHub.MINILM).resolve("onnx/model.onnx"));
    }

    /** Starts {@code prefetch <ids> --cache <cache>} in a new JVM, with only the given HF_* variables set. */
    static Process prefetch(Path cache, Path output, String endpoint, boolean offline, String... ids) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), "dev.embedder.cli.EmbedderMain", "prefetch"));
        command.addAll(List.of(ids));
        command.addAll(List.of("--cache", cache.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("HF_") || k.startsWith("HUGGING"));
        if (endpoint != null) {
            builder.environment().put("HF_ENDPOINT", endpoint);
        }
        if (offline) {
            builder.environment().put("HF_HUB_OFFLINE", "1");
        }
        builder.environment().put("HF_HOME", cache.resolve("home").toString());
        return builder.start();
    }

    static int await(Process process, Path output) throws Exception {
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "prefetch did not finish");
        return process.exitValue();
    }

    private static Path blobs(Path cache) {
        return cache.resolve("models--sentence-transformers--all-MiniLM-L6-v2/blobs");
    }

    private static long cdnGets(FakeHub hub) {
        return hub.requests().stream().filter(r -> r.get("listener").asText().equals("cdn")).count();
    }

    @Test
    void twoConcurrentStartsLeaveOneConsistentCache(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        // 30 MB/s: the 90 MB export takes ~3 s, so the second process arrives while the first is downloading
        try (FakeHub hub = FakeHub.start(root, dir.resolve("hub.log"), "--throttle", "30000000")) {
            Process a = prefetch(cache, dir.resolve("a.log"), hub.endpoint(), false, FakeHub.MINILM);
            Process b = prefetch(cache, dir.resolve("b.log"), hub.endpoint(), false, FakeHub.MINILM);
            assertEquals(0, await(a, dir.resolve("a.log")), () -> read(dir.resolve("a.log")));
            assertEquals(0, await(b, dir.resolve("b.log")), () -> read(dir.resolve("b.log")));

            assertEquals(1, cdnGets(hub), "the export was downloaded once: the other process waited for its lock");
            List<String> resolveGets = hub.requests().stream()
                    .filter(r -> r.get("method").asText().equals("GET") && r.get("path").asText().contains("/resolve/"))
                    .map(r -> r.get("path").asText()).toList();
            assertEquals(resolveGets.size(), resolveGets.stream().distinct().count(), resolveGets::toString);
            Path blob = blobs(cache).resolve(modelSha);
            assertEquals(modelSha, HubRepositoryTest.sha256(blob));
            try (Stream<Path> files = Files.list(blobs(cache))) {
                assertTrue(files.noneMatch(p -> p.toString().endsWith(".incomplete")));
            }
            assertTrue(read(dir.resolve("a.log")).contains("cache ready"));
        }
    }

    @Test
    void aKilledDownloadIsCompletedByTheNextStart(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        Path incomplete = blobs(cache).resolve(modelSha + ".incomplete");
        long killedAt;
        try (FakeHub slow = FakeHub.start(root, dir.resolve("slow.log"), "--throttle", "4000000")) {
            Process first = prefetch(cache, dir.resolve("first.log"), slow.endpoint(), false, FakeHub.MINILM);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((!Files.exists(incomplete) || Files.size(incomplete) < 8_000_000) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no clean-up
            assertTrue(first.waitFor(20, TimeUnit.SECONDS));
            killedAt = Files.size(incomplete);
            assertTrue(killedAt >= 8_000_000, "the download was under way when killed: " + killedAt);
            assertFalse(Files.exists(blobs(cache).resolve(modelSha)));
        }
        try (FakeHub hub = FakeHub.start(root, dir.resolve("hub.log"))) {
            Process second = prefetch(cache, dir.resolve("second.log"), hub.endpoint(), false, FakeHub.MINILM);
            assertEquals(0, await(second, dir.resolve("second.log")), () -> read(dir.resolve("second.log")));
            List<JsonNode> cdn = hub.requests().stream().filter(r -> r.get("listener").asText().equals("cdn")).toList();
            assertEquals(1, cdn.size());
            String range = cdn.get(0).get("range").asText();
            assertTrue(range.matches("bytes=\\d+-"), range);
            assertTrue(Long.parseLong(range.replaceAll("\\D", "")) >= killedAt - (1 << 20), range);
        }
        assertEquals(modelSha, HubRepositoryTest.sha256(blobs(cache).resolve(modelSha)));
        assertFalse(Files.exists(incomplete));
    }

    @Test
    void aPrefetchedCacheServesAFreshOfflineProcessAndHuggingFaceToolsReadIt(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        try (FakeHub hub = FakeHub.start(root, dir.resolve("hub.log"))) {
            assertEquals(0, await(prefetch(cache, dir.resolve("p.log"), hub.endpoint(), false, FakeHub.MINILM),
                    dir.resolve("p.log")), () -> read(dir.resolve("p.log")));
            int before = hub.requests().size();
            // offline, and with the endpoint still pointing at the server: nothing may reach it
            assertEquals(0, await(prefetch(cache, dir.resolve("o.log"), hub.endpoint(), true, FakeHub.MINILM),
                    dir.resolve("o.log")), () -> read(dir.resolve("o.log")));
            assertEquals(before, hub.requests().size());
        }
        // an independent reader of huggingface_hub's layout finds and verifies every file Embedder cached
        List<String> command = new ArrayList<>(List.of("python3", LAYOUT.toString(), "read", cache.toString(),
                FakeHub.MINILM, "main"));
        command.addAll(HubRepositoryTest.EXPECTED);
        Process reader = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(reader.getInputStream().readAllBytes());
        assertTrue(reader.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, reader.exitValue(), out);
        assertTrue(out.contains("onnx/model.onnx " + modelSha), out);
    }

    @Test
    void aCacheWrittenLikeHuggingFaceCliIsUsedOffline(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        try (FakeHub hub = FakeHub.start(root, dir.resolve("hub.log"))) {
            Process writer = new ProcessBuilder("python3", LAYOUT.toString(), "write", hub.endpoint(),
                    cache.toString(), FakeHub.MINILM).redirectErrorStream(true).start();
            String out = new String(writer.getInputStream().readAllBytes());
            assertTrue(writer.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, writer.exitValue(), out);
            int before = hub.requests().size();

            HubRepository.Snapshot snapshot = HubRepository.create(HubSettings.from(java.util.Map.of(
                    "HF_HUB_CACHE", cache.toString(), "HF_HUB_OFFLINE", "1", "HF_ENDPOINT", hub.endpoint())::get), null)
                    .snapshot(HubModelId.parse(FakeHub.MINILM).orElseThrow());

            assertEquals(out.trim(), snapshot.dir().toString());
            assertEquals(before, hub.requests().size());
            // a full download: the interpreter finds its files among everything else
            assertTrue(HubRepository.localFiles(snapshot.dir()).containsAll(HubRepositoryTest.EXPECTED));
            assertTrue(HubRepository.localFiles(snapshot.dir()).contains("pytorch_model.bin"));
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
