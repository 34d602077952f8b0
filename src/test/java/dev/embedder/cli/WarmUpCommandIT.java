package dev.embedder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.testing.PackagedApp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application's {@code warm-up} as Dockerfile.jvm runs it at image build: under
 * {@code -XX:ArchiveClassesAtExit} it boots, answers its own requests, exits 0 and leaves an archive that a second
 * JVM maps with {@code -Xshare:on} (which refuses to start rather than fall back when the archive is unusable), and
 * from which that JVM's start takes the application's classes. With models that cannot load it exits 1 naming why.
 */
class WarmUpCommandIT {

    @Test
    void theTrainingRunExitsCleanlyAndItsArchiveServesTheNextStart(@TempDir Path work) throws Exception {
        Path archive = work.resolve("embedder.jsa");
        // The default bundles, a text and an image model: all four of its requests.
        Result training = run(work, "training", Map.of(), "-XX:ArchiveClassesAtExit=" + archive, "warm-up");
        assertEquals(0, training.exit(), training.log());
        assertTrue(training.log().contains("warm-up: http://127.0.0.1:"), training.log());
        assertTrue(training.log().contains("route=/embed-image"), "no image request in " + training.log());
        assertTrue(Files.size(archive) > 1_000_000, "archive of " + Files.size(archive) + " bytes");

        Path classes = work.resolve("classes.log");
        Result next = run(work, "next", Map.of("EMBEDDER_BUNDLE_MODELS", "all-minilm-l6-v2"), "-Xshare:on",
                "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info:file=" + classes, "warm-up");
        assertEquals(0, next.exit(), next.log());
        List<String> ours = Files.readAllLines(classes).stream()
                .filter(l -> l.contains(" dev.embedder.service.ModelRegistry ")).toList();
        assertEquals(1, ours.size(), String.join("\n", ours));
        assertTrue(ours.get(0).contains("shared objects file (top)"), ours.get(0));
    }

    @Test
    void modelsThatFailToLoadMakeItExitNonZeroNamingThem(@TempDir Path work) throws Exception {
        Result failed = run(work, "failed", Map.of("EMBEDDER_BUNDLE_MODELS", "no-such-bundle"), "warm-up");
        assertNotEquals(0, failed.exit(), failed.log());
        assertTrue(failed.log().contains("warm-up: models are not ready") && failed.log().contains("no-such-bundle"),
                failed.log());
    }

    private record Result(int exit, String log) {}

    private static Result run(Path work, String name, Map<String, String> env, String... args) throws Exception {
        Path jar = PackagedApp.jar();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        List<String> jvm = List.of(args).subList(0, args.length - 1);
        command.addAll(jvm);
        command.addAll(List.of("-Djava.io.tmpdir=" + Files.createDirectories(work.resolve("tmp-" + name)),
                "-jar", jar.toString(), args[args.length - 1]));
        Path log = work.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(freePort()));
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        builder.environment().put("DJL_CACHE_DIR", work.resolve("djl").toString());
        builder.environment().put("DJL_OFFLINE", "true");
        Process process = builder.start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, "timed out: " + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
