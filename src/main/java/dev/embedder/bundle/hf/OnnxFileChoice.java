package dev.embedder.bundle.hf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Which ONNX file of a Hugging Face directory to run, by variant (the transformers.js {@code dtype} names and
 * sentence-transformers' export names):
 *
 * <ul>
 *   <li>{@code fp32} (default): {@code onnx/model.onnx}, else {@code model.onnx} (optimum / transformers.js /
 *       sentence-transformers layouts first, then older root exports); if neither exists and the directory
 *       holds exactly one {@code .onnx} file, that one;
 *   <li>any other variant {@code v}: {@code onnx/model_v.onnx}, else {@code model_v.onnx}, where {@code q8} and
 *       {@code quantized} both mean {@code model_quantized}; e.g. {@code int8}, {@code uint8}, {@code fp16},
 *       {@code q4}, {@code O1} … {@code O4}, {@code qint8_avx512}, {@code optimized}.
 * </ul>
 *
 * External data ({@code model.onnx_data} and the like) stays beside the file, where ONNX Runtime looks for it.
 */
public final class OnnxFileChoice {

    static final String DEFAULT_VARIANT = "fp32";

    private OnnxFileChoice() {}

    /** The chosen file, relative to {@code dir}, with '/' separators. */
    static String choose(Path dir, String variant) {
        List<String> found = onnxFiles(dir);
        return choose(found, variant).orElseThrow(() -> new IllegalStateException("no ONNX file for variant '"
                + variantName(variant) + "' in " + dir + ": looked for " + String.join(", ", candidates(variant))
                + "; ONNX files found: " + (found.isEmpty() ? "none" : found)
                + "; files in the directory: " + listing(dir)
                + ". Choose one with embedder.bundle.variant (e.g. quantized, int8, fp16, O2) or \"files\": {\"model\": ...}"
                + " in a bundle.json beside it"));
    }

    /**
     * The same rule over a list of repository paths (what a Hub listing gives, before anything is downloaded), so a
     * Hub download fetches exactly the file this class will pick from the snapshot folder.
     */
    public static java.util.Optional<String> choose(java.util.Collection<String> paths, String variant) {
        List<String> candidates = candidates(variant);
        for (String candidate : candidates) {
            if (paths.contains(candidate)) {
                return java.util.Optional.of(candidate);
            }
        }
        List<String> found = paths.stream().filter(p -> p.matches("(onnx/)?[^/]+\\.onnx")).toList();
        if (candidates.get(0).equals("onnx/model.onnx") && found.size() == 1) {
            return java.util.Optional.of(found.get(0));
        }
        return java.util.Optional.empty();
    }

    private static String variantName(String variant) {
        return variant == null || variant.isBlank() ? DEFAULT_VARIANT : variant.trim();
    }

    private static List<String> candidates(String variant) {
        String v = variantName(variant);
        List<String> candidates = new ArrayList<>();
        if (v.equalsIgnoreCase("fp32") || v.equalsIgnoreCase("float32")) {
            candidates.add("onnx/model.onnx");
            candidates.add("model.onnx");
        } else {
            String suffix = v.equalsIgnoreCase("q8") || v.equalsIgnoreCase("quantized") ? "quantized"
                    : v.matches("(?i)o[1-4]") ? v.toUpperCase(Locale.ROOT) : v;
            candidates.add("onnx/model_" + suffix + ".onnx");
            candidates.add("model_" + suffix + ".onnx");
        }
        return candidates;
    }

    static List<String> onnxFiles(Path dir) {
        List<String> out = new ArrayList<>();
        for (String sub : new String[] {"", "onnx/"}) {
            Path folder = dir.resolve(sub.isEmpty() ? "." : sub);
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> files = Files.list(folder)) {
                files.filter(f -> f.getFileName().toString().endsWith(".onnx") && Files.isRegularFile(f))
                        .map(f -> sub + f.getFileName()).sorted().forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + folder, e);
            }
        }
        return out;
    }

    /** Every file under the directory (two levels), for error messages. */
    static List<String> listing(Path dir) {
        try (Stream<Path> files = Files.walk(dir, 2)) {
            return files.filter(Files::isRegularFile).map(f -> dir.relativize(f).toString().replace('\\', '/'))
                    .sorted().limit(50).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
