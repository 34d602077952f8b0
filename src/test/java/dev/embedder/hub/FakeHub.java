package dev.embedder.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Hub-compatible test server ({@code src/test/hub-server/hub_server.py}, Python standard library only) as a child
 * process on loopback ports it picks itself; every request it answers is logged, so tests can assert what reached
 * it. Tests that need it are skipped where no {@code python3} is installed.
 */
public final class FakeHub implements AutoCloseable {

    public static final String MINILM = "sentence-transformers/all-MiniLM-L6-v2";
    static final Path SERVER = Path.of("src/test/hub-server/hub_server.py");
    /** The published small files of the model repos (provenance in that folder's README), shared with the directory tests. */
    static final Path LAYOUTS = Path.of("src/test/resources/hf-layouts");
    static final Path BUNDLES = Path.of("target/classes/model-bundle");

    private final Process process;
    private final Path log;
    public final int port;
    public final int cdnPort;

    private FakeHub(Process process, Path log, int port, int cdnPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.cdnPort = cdnPort;
    }

    /** Whether python3 can run the server (the condition of every test that uses it). */
    public static boolean available() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0
                    && Files.isRegularFile(BUNDLES.resolve("all-minilm-l6-v2/all-minilm-l6-v2.onnx"));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Lays out the served repositories under {@code root}: all-MiniLM-L6-v2 as its Hub repo is arranged (the
     * committed JSON files of {@code src/test/resources/hf-layouts}, the build's ONNX export and tokenizer, the int8 export as {@code onnx/model_quantized.onnx},
     * and weights a loader must leave alone), plus {@code test-org/no-onnx} (PyTorch weights only). Large files are
     * hard links where the filesystem allows.
     */
    public static Path layOut(Path root) throws IOException {
        Path minilm = root.resolve(MINILM);
        copyTree(LAYOUTS.resolve("all-MiniLM-L6-v2"), minilm);
        link(BUNDLES.resolve("all-minilm-l6-v2/all-minilm-l6-v2.onnx"), minilm.resolve("onnx/model.onnx"));
        link(BUNDLES.resolve("all-minilm-l6-v2-q/all-minilm-l6-v2-q.onnx"), minilm.resolve("onnx/model_quantized.onnx"));
        link(BUNDLES.resolve("all-minilm-l6-v2/all-minilm-l6-v2-tokenizer.json"), minilm.resolve("tokenizer.json"));
        Files.write(minilm.resolve("pytorch_model.bin"), "not for Embedder: PyTorch weights".getBytes());
        Files.write(minilm.resolve("model.safetensors"), "not for Embedder: safetensors weights".getBytes());
        Files.write(minilm.resolve("rust_model.ot"), "not for Embedder: rust weights".getBytes());
        Files.write(minilm.resolve("README.md"), "# all-MiniLM-L6-v2 (test copy)\n".getBytes());
        Path noOnnx = root.resolve("test-org/no-onnx");
        Files.createDirectories(noOnnx);
        Files.copy(LAYOUTS.resolve("all-MiniLM-L6-v2/config.json"), noOnnx.resolve("config.json"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.write(noOnnx.resolve("pytorch_model.bin"), "weights".getBytes());
        return root;
    }

    /** Starts the server on {@code root}; {@code options} are its flags ({@code --token T}, {@code --throttle N}…). */
    public static FakeHub start(Path root, Path log, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of("python3", SERVER.toString(), "--root", root.toString(),
                "--log", log.toString()));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String ready = out.readLine();
        if (ready == null || !ready.startsWith("READY ")) {
            process.destroyForcibly();
            throw new IOException("the hub server did not start: " + ready);
        }
        String[] ports = ready.split(" ");
        return new FakeHub(process, log, Integer.parseInt(ports[1]), Integer.parseInt(ports[2]));
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Every request answered so far, in order (listener "hub" or "cdn", method, path, range, auth). */
    public List<JsonNode> requests() {
        if (!Files.exists(log)) {
            return List.of();
        }
        ObjectMapper json = new ObjectMapper();
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> !l.isBlank()).map(l -> {
                try {
                    return json.readTree(l);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static void link(Path source, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Files.deleteIfExists(target);
        try {
            Files.createLink(target, source.toAbsolutePath());
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(source, target);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
