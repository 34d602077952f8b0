package dev.embedder.bundle.hf;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Hugging Face repo id of a model directory, when the directory tells it, and the bundle name derived
 * from it. In order: the caller's hint (a Hub download knows its id); the Hub cache path
 * ({@code models--org--name/snapshots/<commit>}, as huggingface_hub and hf-hub lay it out). A bundle.json
 * {@code repoId} overrides both. {@code config.json _name_or_path} is not used: published configs carry the
 * id of the model they were fine-tuned from (all-MiniLM-L6-v2's says {@code nreimers/MiniLM-L6-H384-uncased})
 * or a path on the publisher's machine (bge-small-en-v1.5's), so it would name the wrong model.
 */
public final class RepoIds {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern CACHE = Pattern.compile("models--([A-Za-z0-9][A-Za-z0-9._-]*?)--([A-Za-z0-9][A-Za-z0-9._-]*)");

    private RepoIds() {}

    public static String of(Path dir, JsonNode config, String hint) {
        if (hint != null && ID.matcher(hint).matches()) {
            return hint;
        }
        Path abs = dir.toAbsolutePath().normalize();
        for (Path p = abs; p != null; p = p.getParent()) {
            Path name = p.getFileName();
            if (name == null) {
                break;
            }
            Matcher m = CACHE.matcher(name.toString());
            if (m.matches()) {
                return m.group(1) + "/" + m.group(2);
            }
        }
        return null;
    }

    /**
     * The bundle name: the repo id's name part when known (what users type: {@code all-MiniLM-L6-v2}), else the
     * directory's own name; characters outside [A-Za-z0-9._-] become '-'.
     */
    public static String bundleName(Path dir, String repoId) {
        String raw = repoId != null ? repoId.substring(repoId.indexOf('/') + 1)
                : dir.toAbsolutePath().normalize().getFileName().toString();
        String name = raw.replaceAll("[^A-Za-z0-9._-]", "-");
        return name.isEmpty() ? "model" : name;
    }
}
