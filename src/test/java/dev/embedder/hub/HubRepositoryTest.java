package dev.embedder.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Hub source against a separate Hub-compatible server (python3, {@code hub_server.py}) serving all-MiniLM-L6-v2
 * in its Hub layout: what is fetched, the cache layout, offline and pinned starts, verification, and the errors.
 */
@EnabledIf("dev.embedder.hub.FakeHub#available")
class HubRepositoryTest {

    static final String TOKEN = "hf_test_token";
    static final List<String> EXPECTED = List.of("1_Pooling/config.json", "config.json",
            "config_sentence_transformers.json", "modules.json", "onnx/model.onnx", "sentence_bert_config.json",
            "tokenizer.json", "tokenizer_config.json");

    @TempDir
    static Path work;
    static Path root;
    static FakeHub hub;

    @BeforeAll
    static void startHub() throws IOException {
        root = FakeHub.layOut(work.resolve("repos"));
        hub = FakeHub.start(root, work.resolve("hub.log"), "--token", TOKEN, "--private", "test-org/private-model",
                "--gated", "test-org/gated-model", "--tag", FakeHub.MINILM + "=v1.0", "--rename",
                "sentence-transformers/old-name=" + FakeHub.MINILM);
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    private HubRepository repository(Path cache, String... env) {
        Map<String, String> vars = new HashMap<>(Map.of("HF_ENDPOINT", hub.endpoint(), "HF_HUB_CACHE", cache.toString(),
                "HF_HOME", cache.resolve("home").toString()));
        for (int i = 0; i < env.length; i += 2) {
            vars.put(env[i], env[i + 1]);
        }
        return HubRepository.create(HubSettings.from(vars::get), null);
    }

    private static HubModelId id(String text) {
        return HubModelId.parse(text).orElseThrow();
    }

    @Test
    void fetchesOnlyWhatTheModelNeedsIntoTheStandardLayout(@TempDir Path cache) throws Exception {
        int before = hub.requests().size();
        HubRepository.Snapshot snapshot = repository(cache, "HF_TOKEN", TOKEN).snapshot(id(FakeHub.MINILM));

        Path repoDir = cache.resolve("models--sentence-transformers--all-MiniLM-L6-v2");
        assertEquals(repoDir.resolve("snapshots").resolve(snapshot.commit()), snapshot.dir());
        assertEquals(snapshot.commit(), Files.readString(repoDir.resolve("refs/main")));
        assertEquals(EXPECTED, HubRepository.localFiles(snapshot.dir()));

        Path served = root.resolve(FakeHub.MINILM);
        for (String path : EXPECTED) {
            Path link = snapshot.dir().resolve(path);
            assertTrue(Files.isSymbolicLink(link), path);
            // relative, as huggingface_hub writes it: ../../blobs/<etag>, one more ../ per sub-folder
            String etag = path.endsWith(".onnx") ? sha256(served.resolve(path)) : gitBlobSha1(served.resolve(path));
            String ups = "../".repeat(2 + path.split("/").length - 1);
            assertEquals(ups + "blobs/" + etag, Files.readSymbolicLink(link).toString(), path);
            assertEquals(-1L, Files.mismatch(link, served.resolve(path)), path);
        }
        assertTrue(Files.exists(repoDir.resolve(".no_exist").resolve(snapshot.commit())
                .resolve("preprocessor_config.json")));
        assertTrue(Files.isRegularFile(cache.resolve(".locks/models--sentence-transformers--all-MiniLM-L6-v2")
                .resolve(sha256(served.resolve("onnx/model.onnx")) + ".lock")));

        List<JsonNode> requests = since(before);
        // the weights and the other variants were never asked for
        assertTrue(requests.stream().noneMatch(r -> path(r).matches(
                ".*(pytorch_model|safetensors|rust_model|model_quantized|README).*")), requests::toString);
        // the CDN download came through the redirect, without the token; the Hub's own calls carried it
        List<JsonNode> cdn = requests.stream().filter(r -> listener(r).equals("cdn")).toList();
        assertEquals(1, cdn.size(), requests::toString);
        assertFalse(cdn.get(0).get("auth").asBoolean());
        assertTrue(requests.stream().filter(r -> listener(r).equals("hub")).allMatch(r -> r.get("auth").asBoolean()));
    }

    @Test
    void aSecondStartOfflineOrPinnedSendsNoRequest(@TempDir Path cache) {
        HubRepository.Snapshot first = repository(cache).snapshot(id(FakeHub.MINILM));
        int before = hub.requests().size();

        HubRepository.Snapshot offline = repository(cache, "HF_HUB_OFFLINE", "1").snapshot(id(FakeHub.MINILM));
        HubRepository.Snapshot pinned = repository(cache).snapshot(id(FakeHub.MINILM + "@" + first.commit()));

        assertEquals(first, offline);
        assertEquals(first.dir(), pinned.dir());
        assertEquals(List.of(), since(before));
    }

    @Test
    void withoutSymlinksTheSnapshotHoldsPlainFilesAndNoBlobs(@TempDir Path cache) throws Exception {
        HubSettings settings = HubSettings.from(Map.of("HF_ENDPOINT", hub.endpoint(), "HF_HUB_CACHE",
                cache.toString())::get);
        HubRepository.Snapshot snapshot = HubRepository.create(settings, null, false).snapshot(id(FakeHub.MINILM));
        for (String path : EXPECTED) {
            assertFalse(Files.isSymbolicLink(snapshot.dir().resolve(path)), path);
            assertEquals(-1L, Files.mismatch(snapshot.dir().resolve(path), root.resolve(FakeHub.MINILM).resolve(path)));
        }
        try (var blobs = Files.list(cache.resolve("models--sentence-transformers--all-MiniLM-L6-v2/blobs"))) {
            assertEquals(0, blobs.count());
        }
        int before = hub.requests().size();
        HubRepository.create(settings, null, false).snapshot(id(FakeHub.MINILM));
        assertEquals(0, since(before).stream().filter(r -> !path(r).startsWith("/api/")).count(), "nothing refetched");
        assertEquals(snapshot, HubRepository.create(HubSettings.from(Map.of("HF_HUB_CACHE", cache.toString(),
                "HF_HUB_OFFLINE", "true")::get), null).snapshot(id(FakeHub.MINILM)));
    }

    @Test
    void aTagIsResolvedToItsCommitAndRecordedInRefs(@TempDir Path cache) throws IOException {
        HubRepository.Snapshot tagged = repository(cache).snapshot(id(FakeHub.MINILM + "@v1.0"));
        Path refs = cache.resolve("models--sentence-transformers--all-MiniLM-L6-v2/refs");
        assertEquals(tagged.commit(), Files.readString(refs.resolve("v1.0")));
    }

    @Test
    void aCorruptedCachedBlobIsRefusedAndFetchedAgain(@TempDir Path cache) throws Exception {
        HubRepository.Snapshot first = repository(cache).snapshot(id(FakeHub.MINILM));
        Path model = first.dir().resolve("onnx/model.onnx").toRealPath();
        try (FileChannel channel = FileChannel.open(model, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {0x42, 0x42, 0x42}), 1000);
        }
        int before = hub.requests().size();

        repository(cache).snapshot(id(FakeHub.MINILM));

        assertEquals(model.getFileName().toString(), sha256(model));
        assertEquals(1, since(before).stream().filter(r -> listener(r).equals("cdn")).count());
    }

    @Test
    void aCorruptedDownloadIsDiscardedAndFetchedAgain(@TempDir Path cache) throws Exception {
        try (FakeHub corrupting = FakeHub.start(root, cache.resolve("corrupt.log"), "--corrupt-first", "1")) {
            HubRepository repository = HubRepository.create(HubSettings.from(Map.of("HF_ENDPOINT",
                    corrupting.endpoint(), "HF_HUB_CACHE", cache.resolve("hub").toString())::get), null);
            HubRepository.Snapshot snapshot = repository.snapshot(id(FakeHub.MINILM));
            Path model = snapshot.dir().resolve("onnx/model.onnx").toRealPath();
            assertEquals(model.getFileName().toString(), sha256(model));
            assertEquals(2, corrupting.requests().stream().filter(r -> listener(r).equals("cdn")).count());
        }
    }

    @Test
    void downloadsThatNeverVerifyAreRefusedAndLeaveNoBlob(@TempDir Path cache) throws Exception {
        try (FakeHub corrupting = FakeHub.start(root, cache.resolve("corrupt.log"), "--corrupt-first", "100")) {
            Path hubCache = cache.resolve("hub");
            HubRepository repository = HubRepository.create(HubSettings.from(Map.of("HF_ENDPOINT",
                    corrupting.endpoint(), "HF_HUB_CACHE", hubCache.toString())::get), null);
            HubException e = assertThrows(HubException.class, () -> repository.snapshot(id(FakeHub.MINILM)));
            assertEquals(HubException.Reason.CHECKSUM_MISMATCH, e.reason());
            assertContains(e, "checksum mismatch", "onnx/model.onnx");
            String sha = sha256(root.resolve(FakeHub.MINILM).resolve("onnx/model.onnx"));
            Path blobs = hubCache.resolve("models--sentence-transformers--all-MiniLM-L6-v2/blobs");
            assertFalse(Files.exists(blobs.resolve(sha)));
            assertFalse(Files.exists(blobs.resolve(sha + ".incomplete")));
        }
    }

    @Test
    void aPrivateRepoWithoutTokenSaysToSetHfToken(@TempDir Path cache) {
        HubException e = assertThrows(HubException.class,
                () -> repository(cache).snapshot(id("test-org/private-model")));
        assertContains(e, "HF_TOKEN", "'test-org/private-model'", "401");
    }

    @Test
    void aGatedRepoSaysToAcceptItsConditionsAndSetHfToken(@TempDir Path cache) {
        HubException e = assertThrows(HubException.class, () -> repository(cache).snapshot(id("test-org/gated-model")));
        assertEquals(HubException.Reason.GATED, e.reason());
        assertContains(e, "gated", "HF_TOKEN");
    }

    @Test
    void anInvalidTokenIsReportedAsSuch(@TempDir Path cache) {
        HubException e = assertThrows(HubException.class,
                () -> repository(cache, "HF_TOKEN", "hf_wrong").snapshot(id(FakeHub.MINILM)));
        assertEquals(HubException.Reason.UNAUTHORIZED, e.reason());
        assertContains(e, "refused HF_TOKEN");
    }

    @Test
    void missingRepoRevisionAndOnnxExportAreNamed(@TempDir Path cache) {
        HubException repo = assertThrows(HubException.class,
                () -> repository(cache).snapshot(id("test-org/does-not-exist")));
        assertEquals(HubException.Reason.REPO_NOT_FOUND, repo.reason());
        assertContains(repo, "'test-org/does-not-exist'", "not found");
        HubException revision = assertThrows(HubException.class,
                () -> repository(cache).snapshot(id(FakeHub.MINILM + "@no-such-branch")));
        assertEquals(HubException.Reason.REVISION_NOT_FOUND, revision.reason());
        assertContains(revision, "revision 'no-such-branch' not found");
        HubException onnx = assertThrows(HubException.class, () -> repository(cache).snapshot(id("test-org/no-onnx")));
        assertEquals(HubException.Reason.NO_ONNX, onnx.reason());
        assertContains(onnx, "has no ONNX export", "pytorch_model.bin",
                "optimum-cli export onnx --model test-org/no-onnx");
    }

    @Test
    void offlineAndNotCachedNamesThePrefetchCommand(@TempDir Path cache) {
        int before = hub.requests().size();
        HubException e = assertThrows(HubException.class,
                () -> repository(cache, "HF_HUB_OFFLINE", "1").snapshot(id(FakeHub.MINILM)));
        assertEquals(HubException.Reason.OFFLINE_NOT_CACHED, e.reason());
        assertContains(e, "HF_HUB_OFFLINE", "prefetch");
        assertEquals(List.of(), since(before));
    }

    @Test
    void aRenamedRepoIsFollowedThroughItsRelativeRedirect(@TempDir Path cache) {
        HubRepository.Snapshot snapshot = repository(cache).snapshot(id("sentence-transformers/old-name"));
        assertTrue(HubRepository.localFiles(snapshot.dir()).containsAll(List.of("onnx/model.onnx", "tokenizer.json")));
    }

    @Test
    void anUnreachableHubFallsBackToTheCachedRevision(@TempDir Path cache) {
        HubRepository.Snapshot first = repository(cache).snapshot(id(FakeHub.MINILM));
        HubRepository down = HubRepository.create(HubSettings.from(Map.of("HF_ENDPOINT", "http://127.0.0.1:9",
                "HF_HUB_CACHE", cache.toString(), "HF_HUB_ETAG_TIMEOUT", "2")::get), null);
        assertEquals(first, down.snapshot(id(FakeHub.MINILM)));
        HubException e = assertThrows(HubException.class, () -> down.snapshot(id("test-org/never-fetched")));
        assertContains(e, "cannot reach the Hub", "HF_HUB_OFFLINE");
    }

    private static List<JsonNode> since(int before) {
        List<JsonNode> all = hub.requests();
        return all.subList(before, all.size());
    }

    private static String listener(JsonNode request) {
        return request.get("listener").asText();
    }

    private static String path(JsonNode request) {
        return request.get("path").asText();
    }

    static void assertContains(Throwable e, String... parts) {
        for (String part : parts) {
            assertTrue(String.valueOf(e.getMessage()).contains(part), () -> "'" + part + "' not in: " + e.getMessage());
        }
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    static String gitBlobSha1(Path file) throws Exception {
        byte[] content = Files.readAllBytes(file);
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        sha1.update(("blob " + content.length + "\0").getBytes());
        return HexFormat.of().formatHex(sha1.digest(content));
    }
}
