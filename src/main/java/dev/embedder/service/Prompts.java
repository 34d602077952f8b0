package dev.embedder.service;

import dev.embedder.bundle.BundleManifest;
import dev.embedder.error.InvalidInputException;
import java.util.List;
import java.util.TreeSet;

/**
 * sentence-transformers' prompts, per request: {@code prompt_name} picks one of the model's
 * {@code config_sentence_transformers.json} prompts, {@code prompt} gives the text itself, and with neither
 * the model's {@code default_prompt_name} applies (if it has one). The prompt is prepended to every input
 * before tokenizing, so its tokens count in {@code usage} as TEI counts them.
 */
public record Prompts(String text) {

    public static final Prompts NONE = new Prompts("");

    public static Prompts resolve(BundleManifest manifest, String promptName, String prompt) {
        if (promptName != null && prompt != null) {
            throw new InvalidInputException("send either prompt_name or prompt, not both");
        }
        if (prompt != null) {
            return new Prompts(prompt);
        }
        String name = promptName != null ? promptName : manifest.defaultPromptName();
        if (name == null) {
            return NONE;
        }
        String text = manifest.prompts().get(name);
        if (text == null) {
            throw new InvalidInputException("unknown prompt_name '" + name + "' for model '" + manifest.name() + "'; "
                    + (manifest.prompts().isEmpty() ? "it has no prompts (send the text as prompt)"
                            : "its prompts are " + new TreeSet<>(manifest.prompts().keySet())));
        }
        return new Prompts(text);
    }

    public List<String> apply(List<String> inputs) {
        if (text.isEmpty() || inputs == null) {
            return inputs;
        }
        return inputs.stream().map(s -> s == null ? null : text + s).toList();
    }
}
