package dev.embedder.bundle.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.embedder.bundle.BundleManifest;
import dev.embedder.inference.HiddenStateFinder;
import dev.embedder.inference.OnnxGraph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What a Hugging Face model directory says about its model: the interpreter that turns the files
 * {@code huggingface-cli download}, a {@code git clone}, {@code optimum-cli export onnx} or a
 * sentence-transformers {@code save()} write into the model facts of a {@link BundleManifest}. Where the files
 * came from (a local folder, a Hub snapshot) is not its business: it reads one local directory.
 *
 * <p>Rules, and which wins where sources disagree (README "Your own model"):
 * <ul>
 *   <li>modality: {@code tokenizer.json} → text, else {@code preprocessor_config.json} → image;
 *   <li>ONNX file: {@link OnnxFileChoice}; inputs and outputs from the graph;
 *   <li>max tokens: {@code sentence_bert_config.json max_seq_length} (what sentence-transformers ≤ 5.3 and TEI
 *       use), else the smaller of {@code tokenizer_config.json model_max_length} (values ≥ 1e29 mean "none") and
 *       {@code config.json max_position_embeddings} (minus {@code pad_token_id + 1} for the RoBERTa family);
 *   <li>pooling: the {@code Pooling} entry of {@code modules.json} ({@code 1_Pooling/config.json}, both formats);
 *       without one, last-token for decoder architectures ({@code *ForCausalLM}) and mean otherwise
 *       (sentence-transformers; TEI's "CLS for BERT" default is not followed);
 *   <li>normalisation: a {@code Normalize} module in {@code modules.json}; without modules.json, on (TEI);
 *   <li>{@code Dense} modules: {@code <path>/config.json} + {@code <path>/model.safetensors}, in order;
 *   <li>prompts: {@code config_sentence_transformers.json prompts} / {@code default_prompt_name};
 *   <li>hidden layers: {@link HiddenStateFinder}, checked against {@code num_hidden_layers};
 *   <li>repo id: {@link RepoIds}.
 * </ul>
 * A {@code bundle.json} in the directory overrides only the keys it names (objects merge key by key).
 */
public final class HfLayout {

    /** The manifest key that chooses the ONNX variant in a bundle.json beside the model. */
    public static final String VARIANT_KEY = "variant";

    private static final ObjectMapper JSON = new ObjectMapper();

    private HfLayout() {}

    /**
     * The manifest of the model in {@code dir}, as a JSON tree of derived facts with {@code overrides} (a
     * bundle.json's content, or null) merged over it.
     *
     * @param variant    the ONNX variant when the overrides name none ({@code fp32} when null)
     * @param repoIdHint the repo id when the caller knows it (a Hub download), else null
     */
    public static ObjectNode describe(Path dir, JsonNode overrides, String variant, String repoIdHint) {
        ObjectNode over = overrides != null && overrides.isObject() ? (ObjectNode) overrides.deepCopy()
                : JsonNodeFactory.instance.objectNode();
        JsonNode config = json(dir, "config.json");
        ObjectNode m = JsonNodeFactory.instance.objectNode();

        String repoId = over.hasNonNull("repoId") ? over.get("repoId").asText() : RepoIds.of(dir, config, repoIdHint);
        if (repoId != null) {
            m.put("repoId", repoId);
        }
        m.put("name", RepoIds.bundleName(dir, repoId));

        boolean text = Files.isRegularFile(dir.resolve("tokenizer.json"));
        boolean image = Files.isRegularFile(dir.resolve("preprocessor_config.json"));
        if (!text && !image && !over.has("modality")) {
            throw new IllegalStateException(dir + " has neither tokenizer.json (text) nor preprocessor_config.json"
                    + " (image); files found: " + OnnxFileChoice.listing(dir));
        }
        String modelFile = over.path("files").hasNonNull("model") ? over.path("files").get("model").asText()
                : OnnxFileChoice.choose(dir, over.hasNonNull(VARIANT_KEY) ? over.get(VARIANT_KEY).asText() : variant);
        OnnxGraph graph = OnnxGraph.read(dir.resolve(modelFile));
        ObjectNode files = m.putObject("files");
        files.put("model", modelFile);
        ObjectNode pooling = m.putObject("pooling");
        String output = output(graph, dir.resolve(modelFile));
        pooling.put("output", output);

        if (text) {
            m.put("modality", "text");
            files.put("tokenizer", "tokenizer.json");
            TextFacts.describe(dir, config, m, pooling);
        } else {
            m.put("modality", "image");
            files.put("preprocessor", "preprocessor_config.json");
            ImageFacts.describe(dir, config, graph, output, m, pooling);
        }
        if (!over.has("hiddenStates")) {
            ArrayNode hidden = m.putArray("hiddenStates");
            Integer layers = config.hasNonNull("num_hidden_layers") ? config.get("num_hidden_layers").asInt()
                    : config.path("vision_config").hasNonNull("num_hidden_layers")
                            ? config.path("vision_config").get("num_hidden_layers").asInt() : null;
            try {
                new HiddenStateFinder(graph).find(layers).tensors().forEach(hidden::add);
            } catch (HiddenStateFinder.Undecidable e) {
                throw new IllegalStateException("cannot tell which tensors of " + dir.resolve(modelFile)
                        + " are the hidden layers: " + e.getMessage() + ". Settle it with \"hiddenStates\" in a"
                        + " bundle.json beside the model: the tensor names, embeddings first, last layer last"
                        + " (or [] to serve without layer selection)");
            }
        }
        m.put("license", license(dir));
        m.put("provenance", "Hugging Face layout in " + dir + " (model file " + modelFile + ")");
        merge(m, over);
        return m;
    }

    /** {@link #describe} as a validated manifest. */
    public static BundleManifest manifest(Path dir, JsonNode overrides, String variant, String repoIdHint) {
        ObjectNode tree = describe(dir, overrides, variant, repoIdHint);
        try {
            return JSON.copy().configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                    false).configure(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS, true)
                    .treeToValue(tree, BundleManifest.class);
        } catch (IOException e) {
            Throwable t = e;
            while (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            throw new IllegalStateException(dir + ": " + t.getMessage(), e);
        }
    }

    /** The graph output to pool: sentence-transformers' token_embeddings, else last_hidden_state, else the first. */
    private static String output(OnnxGraph graph, Path model) {
        List<String> names = graph.outputNames();
        for (String preferred : new String[] {"last_hidden_state", "token_embeddings"}) {
            if (names.contains(preferred)) {
                return preferred;
            }
        }
        if (names.isEmpty()) {
            throw new IllegalStateException(model + " declares no outputs");
        }
        return names.get(0);
    }

    private static String license(Path dir) {
        Path readme = dir.resolve("README.md");
        if (!Files.isRegularFile(readme)) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(readme);
            if (lines.isEmpty() || !lines.get(0).trim().equals("---")) {
                return null;
            }
            for (int i = 1; i < lines.size() && !lines.get(i).trim().equals("---"); i++) {
                String line = lines.get(i).trim();
                if (line.startsWith("license:")) {
                    return line.substring("license:".length()).trim();
                }
            }
            return null;
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    static JsonNode json(Path dir, String file) {
        Path path = dir.resolve(file);
        if (!Files.isRegularFile(path)) {
            return JsonNodeFactory.instance.missingNode();
        }
        try {
            return JSON.readTree(path.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Objects merge key by key; anything else in {@code over} replaces what is in {@code base}. */
    static void merge(ObjectNode base, JsonNode over) {
        for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode current = base.get(e.getKey());
            if (current instanceof ObjectNode object && e.getValue().isObject()) {
                merge(object, e.getValue());
            } else {
                base.set(e.getKey(), e.getValue());
            }
        }
    }
}
