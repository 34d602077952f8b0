package dev.embedder.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * Builds, under {@code target/hf-layouts}, the Hugging Face directories of the pretrained models the build
 * unpacks, laid out as their repos are: the small sentence-transformers and transformers JSON files
 * committed in {@code src/test/resources/hf-layouts/<model>/} (README there: where each fact comes from)
 * plus the carrier jars' ONNX export and tokenizer.json, linked rather than copied.
 */
public final class HfLayouts {

    /** A placeholder commit: the snapshot folder of a Hub cache is named by one. */
    public static final String SNAPSHOT = "0123456789abcdef0123456789abcdef01234567";

    private static final Path ROOT = Path.of("target", "hf-layouts").toAbsolutePath();
    private static final Path SOURCES = Path.of("src", "test", "resources", "hf-layouts").toAbsolutePath();
    private static final Path BUNDLES = Path.of("target", "classes", "model-bundle").toAbsolutePath();
    private static final Path CARRIERS = Path.of("target", "carriers").toAbsolutePath();

    private HfLayouts() {}

    /** all-MiniLM-L6-v2 as a Hub cache snapshot: onnx/model.onnx and onnx/model_quantized.onnx. */
    public static synchronized Path minilm() {
        Path dir = ROOT.resolve("models--sentence-transformers--all-MiniLM-L6-v2/snapshots/" + SNAPSHOT);
        build(dir, "all-MiniLM-L6-v2");
        link(dir.resolve("onnx/model.onnx"), BUNDLES.resolve("all-minilm-l6-v2/all-minilm-l6-v2.onnx"));
        link(dir.resolve("onnx/model_quantized.onnx"), BUNDLES.resolve("all-minilm-l6-v2-q/all-minilm-l6-v2-q.onnx"));
        link(dir.resolve("tokenizer.json"), BUNDLES.resolve("all-minilm-l6-v2/all-minilm-l6-v2-tokenizer.json"));
        return dir;
    }

    /** bge-small-en-v1.5 as a plain folder (a git clone): onnx/model.onnx. */
    public static synchronized Path bge() {
        Path dir = ROOT.resolve("bge-small-en-v1.5");
        build(dir, "bge-small-en-v1.5");
        link(dir.resolve("onnx/model.onnx"), BUNDLES.resolve("bge-small-en-v1.5/bge-small-en-v1.5.onnx"));
        link(dir.resolve("tokenizer.json"), BUNDLES.resolve("bge-small-en-v1.5/bge-small-en-v1.5-tokenizer.json"));
        return dir;
    }

    /** e5-small-v2 as a Hub cache snapshot with a root model.onnx (the older export layout). */
    public static synchronized Path e5() {
        Path dir = ROOT.resolve("models--intfloat--e5-small-v2/snapshots/" + SNAPSHOT);
        build(dir, "e5-small-v2");
        link(dir.resolve("model.onnx"), CARRIERS.resolve("e5-small-v2/e5-small-v2.onnx"));
        link(dir.resolve("tokenizer.json"), CARRIERS.resolve("e5-small-v2/e5-small-v2-tokenizer.json"));
        return dir;
    }

    /** The tiny HF vision models (in-repo fixtures): config.json, preprocessor_config.json and model.onnx. */
    public static Path vision(String model) {
        return VisionFixtures.dir().resolve("models").resolve(model);
    }

    /**
     * A copy of a layout in {@code dir} that a test may change: the small files copied, the ONNX files linked
     * to the originals.
     */
    public static Path copy(Path layout, Path dir) {
        try (Stream<Path> files = Files.walk(layout)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Path to = dir.resolve(layout.relativize(file).toString());
                Files.createDirectories(to.getParent());
                if (file.getFileName().toString().endsWith(".onnx")) {
                    link(to, file.toRealPath());
                } else {
                    Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Links {@code link} to {@code target} (a copy where links are not possible). */
    public static void link(Path link, Path target) {
        if (!Files.isRegularFile(target)) {
            throw new IllegalStateException(target + " is missing: run the build (mvn process-test-resources)");
        }
        try {
            Files.createDirectories(link.getParent());
            if (Files.isSymbolicLink(link) || Files.exists(link)) {
                return;
            }
            try {
                Files.createSymbolicLink(link, target);
            } catch (UnsupportedOperationException | IOException e) {
                Files.copy(target, link, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void build(Path dir, String model) {
        Path source = SOURCES.resolve(model);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                if (file.getFileName().toString().equals("README.md")) {
                    continue;
                }
                Path to = dir.resolve(source.relativize(file).toString());
                Files.createDirectories(to.getParent());
                Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the layout of " + model + " in " + dir, e);
        }
    }
}
