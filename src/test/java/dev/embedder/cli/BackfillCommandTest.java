package dev.embedder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embedder.testing.S3Objects;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar ... backfill <dir>} through the real entry point ({@link EmbedderMain}): a local directory is
 * embedded into {@code <dir>/embeddings/}, a bad file fails alone (exit code 1), and a second run finds everything
 * current. Without a terminal the progress comes as plain lines.
 */
@QuarkusMainTest
@TestProfile(BackfillCommandTest.ImageModelOnly.class)
class BackfillCommandTest {

    public static class ImageModelOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("embedder.bundle.models", "mobilenet-v2-nsfwjs");
        }
    }

    @Test
    void backfillsADirectoryAndAResumedRunFindsEverythingCurrent(QuarkusMainLauncher launcher, @TempDir Path dir)
            throws Exception {
        for (int i = 0; i < 5; i++) {
            Files.write(dir.resolve("img-" + i + ".png"), S3Objects.tinyPng(100 + i));
        }
        Files.createDirectories(dir.resolve("sub dir"));
        Files.write(dir.resolve("sub dir/photo.jpg"), S3Objects.resource("rocket.jpg"));
        Files.writeString(dir.resolve("notes.txt"), "not a picture");

        LaunchResult first = launcher.launch("backfill", dir.toString(), "--parallel", "2", "--batch", "3");
        String log = first.getErrorOutput() + first.getOutput();
        assertEquals(1, first.exitCode(), log);
        assertTrue(log.contains("done: 6 embedded, 0 already current or skipped, 1 failed of 7"), log);
        assertTrue(log.contains("backfill: [") && log.contains("7/7"), "plain progress lines: " + log);

        ObjectMapper json = new ObjectMapper();
        JsonNode doc = json.readTree(dir.resolve("embeddings/sub dir/photo.jpg.json").toFile());
        assertEquals("mobilenet-v2-nsfwjs", doc.path("model").asText());
        assertEquals(1280, doc.path("embedding").size());
        assertEquals("sub dir/photo.jpg", doc.path("source").path("key").asText());
        assertEquals(md5(dir.resolve("sub dir/photo.jpg")), doc.path("source").path("eTag").asText());
        assertFalse(Files.exists(dir.resolve("embeddings/notes.txt.json")));
        byte[] before = Files.readAllBytes(dir.resolve("embeddings/img-0.png.json"));

        LaunchResult second = launcher.launch("backfill", dir.toString());
        String log2 = second.getErrorOutput() + second.getOutput();
        assertEquals(1, second.exitCode(), log2);
        assertTrue(log2.contains("done: 0 embedded, 6 already current or skipped, 1 failed of 7"), log2);
        assertEquals(new String(before, StandardCharsets.UTF_8),
                Files.readString(dir.resolve("embeddings/img-0.png.json")), "current outputs are left alone");

    }

    private static String md5(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
