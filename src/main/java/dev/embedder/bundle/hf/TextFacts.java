package dev.embedder.bundle.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.embedder.bundle.PoolingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The text model facts of a Hugging Face directory: the token limit, padding side and vocabulary check
 * (transformers files), pooling, normalisation, Dense modules and prompts (sentence-transformers files).
 * Rules and precedence: see {@link HfLayout}.
 */
final class TextFacts {

    private static final double NO_LIMIT = 1e29;

    private TextFacts() {}

    static void describe(Path dir, JsonNode config, ObjectNode m, ObjectNode pooling) {
        JsonNode tokenizerConfig = HfLayout.json(dir, "tokenizer_config.json");
        JsonNode stConfig = HfLayout.json(dir, "config_sentence_transformers.json");
        JsonNode modules = HfLayout.json(dir, "modules.json");
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
                case "Pooling" -> poolingConfig = HfLayout.json(dir, path + "/config.json");
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

    static Integer maxTokens(Path dir, JsonNode config, JsonNode tokenizerConfig) {
        JsonNode st = HfLayout.json(dir, "sentence_bert_config.json");
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
        JsonNode c = HfLayout.json(dir, path + "/config.json");
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
        JsonNode tokenizer = HfLayout.json(dir, "tokenizer.json");
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

}
