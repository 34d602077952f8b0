package dev.embedder.hub;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Which files of a model repository Embedder needs, chosen from the repo's listing so a start fetches a few
 * megabytes of JSON and one ONNX export instead of every framework's weights: the ONNX file picked by the
 * directory interpreter's rule and its external data ({@code <file>_data}, {@code <file>_data_1}…,
 * {@code <file>.data}), the tokenizer and config files, the sentence-transformers files (including the
 * {@code <idx>_<Module>/} folders' JSON and safetensors, e.g. {@code 1_Pooling}, {@code 2_Dense}), and
 * {@code preprocessor_config.json} for image models. Never {@code pytorch_model.bin}, {@code model.safetensors},
 * TF/Flax/Rust weights or the other ONNX variants.
 */
public final class RepoFileSelection {

    /** Root files read when present (the rest of the repo is never fetched). */
    public static final List<String> ROOT_FILES = List.of(
            "config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
            "preprocessor_config.json", "modules.json", "sentence_bert_config.json",
            "config_sentence_transformers.json", "bundle.json",
            // sentence-transformers' legacy names for sentence_bert_config.json
            "sentence_roberta_config.json", "sentence_distilbert_config.json", "sentence_camembert_config.json",
            "sentence_albert_config.json", "sentence_xlm-roberta_config.json", "sentence_xlnet_config.json");

    private static final Pattern MODULE_FILE = Pattern.compile("\\d+_[^/]+/[^/]+\\.(json|safetensors)");

    private final Function<Collection<String>, Optional<String>> onnxChoice;

    /** {@code onnxChoice} picks the ONNX file from the repo's paths, or none (the interpreter's rule). */
    public RepoFileSelection(Function<Collection<String>, Optional<String>> onnxChoice) {
        this.onnxChoice = onnxChoice;
    }

    /** The files to fetch, in a stable order; empty when the repo has no usable ONNX file. */
    public Optional<List<String>> select(Collection<String> repoPaths) {
        Optional<String> onnx = onnxChoice.apply(repoPaths);
        if (onnx.isEmpty()) {
            return Optional.empty();
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (String name : ROOT_FILES) {
            if (repoPaths.contains(name)) {
                chosen.add(name);
            }
        }
        repoPaths.stream().filter(p -> MODULE_FILE.matcher(p).matches()).sorted().forEach(chosen::add);
        chosen.add(onnx.get());
        repoPaths.stream().filter(p -> isExternalData(onnx.get(), p)).sorted().forEach(chosen::add);
        return Optional.of(new ArrayList<>(chosen));
    }

    /** The root files this selection looks for that the repo does not have (cached as "known absent"). */
    public static List<String> absentRootFiles(Collection<String> repoPaths) {
        return ROOT_FILES.stream().filter(f -> !repoPaths.contains(f)).toList();
    }

    static boolean isExternalData(String onnx, String path) {
        return path.equals(onnx + ".data") || path.equals(onnx + "_data") || path.matches(Pattern.quote(onnx)
                + "_data_\\d+");
    }

    /** Every ONNX file of a listing, for error messages. */
    public static List<String> onnxFiles(Collection<String> repoPaths) {
        return repoPaths.stream().filter(p -> p.endsWith(".onnx")).sorted().toList();
    }
}
