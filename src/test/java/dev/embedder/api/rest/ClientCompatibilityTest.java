package dev.embedder.api.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.testing.Http;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The npm clients people use, against this running server: {@code openai} (its default base64 and float),
 * {@code @langchain/openai} (embedDocuments, embedQuery) and {@code @huggingface/inference} (featureExtraction and
 * sentenceSimilarity with an endpoint URL). The checks are in {@code src/test/clients/clients.mjs}; the client
 * versions are pinned in its package-lock.json and installed by {@code .ci/run} ({@code npm ci}). Skipped when node
 * or the installed clients are absent.
 */
@QuarkusTest
class ClientCompatibilityTest {

    private static final Path CLIENTS = Path.of("src/test/clients");

    @Test
    void npmClientsWorkAgainstTheServer() throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isDirectory(CLIENTS.resolve("node_modules/openai")),
                "npm clients not installed (cd src/test/clients && npm ci)");
        Assumptions.assumeTrue(nodeAvailable(), "node is not installed");
        Path log = Files.createTempFile("clients", ".log");
        Process process = new ProcessBuilder("node", "clients.mjs", "http://localhost:" + Http.port())
                .directory(CLIENTS.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = process.waitFor(180, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        System.out.println(output);
        assertTrue(finished, "clients.mjs did not finish in 180 s:\n" + output);
        assertEquals(0, process.exitValue(), "client checks failed:\n" + output);
        assertTrue(output.contains(" passed, 0 failed"), output);
    }

    private static boolean nodeAvailable() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
