package dev.embedder.bundle.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.embedder.bundle.BundleManifest;
import dev.embedder.bundle.PoolingMode;
import dev.embedder.inference.HiddenStateFinder;
import dev.embedder.inference.OnnxGraph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
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
    private static final double NO_LIMIT = 1e29;

    private HfLayout() {}

    /** Whether a directory looks like a Hugging Face model directory (it has a config.json or an ONNX file). */
    public static boolean looksLikeHfLayout(Path dir) {
        return Files.isRegularFile(dir.resolve("config.json")) || !OnnxFileChoice.onnxFiles(dir).isEmpty();
    }

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
            describeText(dir, config, m, pooling);
        } else {
            m.put("modality", "image");
            files.put("preprocessor", "preprocessor_config.json");
            describeImage(dir, config, graph, output, m, pooling);
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

    private static void describeText(Path dir, JsonNode config, ObjectNode m, ObjectNode pooling) {
        JsonNode tokenizerConfig = json(dir, "tokenizer_config.json");
        JsonNode stConfig = json(dir, "config_sentence_transformers.json");
        JsonNode modules = json(dir, "modules.json");
        Integer maxTokens = maxTokens(dir, config, tokenizerConfig);
        if (maxTokens != null) {
            m.put("maxTokens", maxTokens);
        }
        if (tokenizerConfig.hasNonNull("padding_side")) {
            m.put("paddingSide", tokenizerConfig.get("padding_side").asText());
        }
        checkVocabulary(dir, config);

        JsonNode poolingConfig = null;
        boolean normalize = !modules.isArray();
        ArrayNode dense = JsonNodeFactory.instance.arrayNode();
        for (JsonNode module : modules) {
            String type = module.path("type").asText();
            String kind = type.substring(type.lastIndexOf('.') + 1);
            String path = module.path("path").asText();
            switch (kind) {
                case "Pooling" -> poolingConfig = json(dir, path + "/config.json");
                case "Normalize" -> normalize = true;
                case "Dense" -> dense.add(dense(dir, path));
                case "Transformer", "" -> { }
                default -> throw new IllegalStateException(dir.resolve("modules.json") + " has a module " + type
                        + " that Embedder cannot run (it runs Transformer, Pooling, Dense and Normalize)");
            }
        }
        String mode = poolingConfig != null ? poolingMode(dir, poolingConfig)
                : isDecoder(config) ? PoolingMode.LAST_TOKEN.wireName() : PoolingMode.MEAN.wireName();
        pooling.put("mode", mode);
        pooling.put("normalize", normalize);
        if (!dense.isEmpty()) {
            m.set("dense", dense);
        }

        JsonNode prompts = stConfig.path("prompts");
        if (prompts.isObject() && !prompts.isEmpty()) {
            if (poolingConfig != null && poolingConfig.has("include_prompt")
                    && !poolingConfig.get("include_prompt").asBoolean(true)) {
                throw new IllegalStateException(dir.resolve("1_Pooling/config.json") + " says include_prompt=false"
                        + " (pool without the prompt's tokens), which Embedder does not do; remove the prompts or"
                        + " set \"prompts\": {} in a bundle.json to serve without them");
            }
            m.set("prompts", prompts);
        }
        if (stConfig.hasNonNull("default_prompt_name")) {
            m.put("defaultPromptName", stConfig.get("default_prompt_name").asText());
        }

        int dimension = !dense.isEmpty() ? dense.get(dense.size() - 1).path("outFeatures").asInt()
                : config.path("hidden_size").asInt(0) > 0 ? config.get("hidden_size").asInt()
                : poolingConfig != null ? poolingConfig.path("word_embedding_dimension")
                        .asInt(poolingConfig.path("embedding_dimension").asInt(0)) : 0;
        if (dimension > 0) {
            m.put("dimension", dimension);
        }
    }

    private static void describeImage(Path dir, JsonNode config, OnnxGraph graph, String output, ObjectNode m,
            ObjectNode pooling) {
        List<OnnxGraph.Value> pixels = graph.feedInputs().stream().filter(v -> v.rank() == 4 || v.rank() < 0).toList();
        if (pixels.size() != 1) {
            throw new IllegalStateException(dir + ": the image model should have one pixel input [batch, 3, H, W];"
                    + " its inputs are " + graph.feedInputs() + ". Name it with \"input\" in a bundle.json");
        }
        m.put("input", pixels.get(0).name());
        int rank = graph.outputs().stream().filter(o -> o.name().equals(output)).findFirst().map(OnnxGraph.Value::rank)
                .orElse(-1);
        boolean cnn = rank == 4;
        pooling.put("layout", cnn ? "nchw" : "tokens");
        pooling.put("mode", "mean");
        pooling.put("normalize", true);
        JsonNode vision = config.has("vision_config") ? config.get("vision_config") : config;
        if (!cnn) {
            pooling.put("prefixTokens", 1 + vision.path("num_register_tokens").asInt(0));
        }
        int dimension = vision.path("hidden_size").asInt(0);
        if (dimension == 0 && vision.path("hidden_sizes").isArray() && !vision.path("hidden_sizes").isEmpty()) {
            dimension = vision.path("hidden_sizes").get(vision.path("hidden_sizes").size() - 1).asInt();
        }
        if (dimension > 0) {
            m.put("dimension", dimension);
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

    static Integer maxTokens(Path dir, JsonNode config, JsonNode tokenizerConfig) {
        JsonNode st = json(dir, "sentence_bert_config.json");
        if (st.path("max_seq_length").isNumber()) {
            return st.get("max_seq_length").asInt();
        }
        Integer tokenizerLimit = tokenizerConfig.path("model_max_length").isNumber()
                && tokenizerConfig.get("model_max_length").asDouble() < NO_LIMIT
                ? tokenizerConfig.get("model_max_length").asInt() : null;
        Integer positions = null;
        if (config.path("max_position_embeddings").isNumber()) {
            positions = config.get("max_position_embeddings").asInt();
            String type = config.path("model_type").asText("");
            if (type.equals("roberta") || type.equals("xlm-roberta") || type.equals("camembert")) {
                positions -= config.path("pad_token_id").asInt(1) + 1;
            }
        }
        if (tokenizerLimit != null && positions != null) {
            return Math.min(tokenizerLimit, positions);
        }
        return tokenizerLimit != null ? tokenizerLimit : positions;
    }

    private static String poolingMode(Path dir, JsonNode p) {
        List<String> modes = new ArrayList<>();
        if (p.has("pooling_mode")) {
            JsonNode mode = p.get("pooling_mode");
            if (mode.isArray()) {
                mode.forEach(x -> modes.add(x.asText()));
            } else {
                modes.add(mode.asText());
            }
        } else {
            String[][] legacy = {{"pooling_mode_cls_token", "cls"}, {"pooling_mode_max_tokens", "max"},
                {"pooling_mode_mean_tokens", "mean"}, {"pooling_mode_mean_sqrt_len_tokens", "mean_sqrt_len_tokens"},
                {"pooling_mode_weightedmean_tokens", "weightedmean"}, {"pooling_mode_lasttoken", "lasttoken"}};
            for (String[] flag : legacy) {
                if (p.path(flag[0]).asBoolean(false)) {
                    modes.add(flag[1]);
                }
            }
        }
        String where = dir.resolve("1_Pooling/config.json").toString();
        if (modes.size() != 1) {
            throw new IllegalStateException(where + " asks for " + (modes.isEmpty() ? "no pooling" : modes
                    + " concatenated") + "; Embedder pools with one of mean, cls, max, last_token: choose it with"
                    + " \"pooling\": {\"mode\": ...} in a bundle.json beside the model");
        }
        String mode = modes.get(0).toLowerCase(Locale.ROOT);
        if (mode.equals("mean_tokens")) {
            mode = "mean";
        } else if (mode.equals("cls_token")) {
            mode = "cls";
        } else if (mode.equals("max_tokens")) {
            mode = "max";
        }
        try {
            return PoolingMode.parse(mode).wireName();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + " asks for pooling '" + modes.get(0) + "', which Embedder cannot"
                    + " do (it pools with mean, cls, max, last_token); choose one with \"pooling\": {\"mode\": ...} in"
                    + " a bundle.json beside the model", e);
        }
    }

    private static ObjectNode dense(Path dir, String path) {
        JsonNode c = json(dir, path + "/config.json");
        if (!c.has("in_features") || !c.has("out_features")) {
            throw new IllegalStateException(dir.resolve(path + "/config.json") + " is missing in_features/out_features");
        }
        if (!Files.isRegularFile(dir.resolve(path + "/model.safetensors"))) {
            throw new IllegalStateException(dir.resolve(path) + " has no model.safetensors (pytorch_model.bin is not"
                    + " read); convert the Dense weights to safetensors");
        }
        String act = c.path("activation_function").asText("torch.nn.modules.linear.Identity");
        String activation = act.endsWith("Identity") ? "identity" : act.endsWith("Tanh") ? "tanh" : act;
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("path", path);
        d.put("inFeatures", c.get("in_features").asInt());
        d.put("outFeatures", c.get("out_features").asInt());
        d.put("bias", c.path("bias").asBoolean(true));
        d.put("activation", activation);
        return d;
    }

    private static boolean isDecoder(JsonNode config) {
        for (JsonNode a : config.path("architectures")) {
            if (a.asText().endsWith("ForCausalLM")) {
                return true;
            }
        }
        return false;
    }

    /** A tokenizer whose ids run past the model's embedding table belongs to another model. */
    private static void checkVocabulary(Path dir, JsonNode config) {
        if (!config.path("vocab_size").isNumber()) {
            return;
        }
        int vocab = config.get("vocab_size").asInt();
        JsonNode tokenizer = json(dir, "tokenizer.json");
        long maxId = -1;
        JsonNode v = tokenizer.path("model").path("vocab");
        if (v.isObject()) {
            for (Iterator<JsonNode> it = v.elements(); it.hasNext();) {
                maxId = Math.max(maxId, it.next().asLong());
            }
        } else if (v.isArray()) {
            maxId = v.size() - 1;
        }
        for (JsonNode added : tokenizer.path("added_tokens")) {
            maxId = Math.max(maxId, added.path("id").asLong());
        }
        if (maxId >= vocab) {
            throw new IllegalStateException(dir.resolve("tokenizer.json") + " has token ids up to " + maxId
                    + " but config.json says vocab_size " + vocab + ": the tokenizer belongs to another model");
        }
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
