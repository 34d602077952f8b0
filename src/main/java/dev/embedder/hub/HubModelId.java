package dev.embedder.hub;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A model repository on a Hugging Face Hub and the revision to load: {@code org/name}, {@code org/name@revision}
 * (a branch, a tag, a 40-hex commit or {@code refs/pr/N}), or with the explicit {@code hf:} prefix, which also
 * admits the Hub's legacy single-segment ids ({@code hf:bert-base-uncased}).
 *
 * <p>The repo id follows the Hub's rules as huggingface_hub validates them: at most one {@code /}, segments of
 * letters, digits, {@code - _ .}, neither {@code --} nor {@code ..}, at most 96 characters per name.
 */
public record HubModelId(String repo, String revision) {

    public static final String PREFIX = "hf:";
    public static final String DEFAULT_REVISION = "main";

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    public HubModelId {
        if (!isRepoId(repo)) {
            throw new IllegalArgumentException("'" + repo + "' is not a Hub repo id (org/name)");
        }
        if (revision == null || revision.isBlank() || revision.contains("..") || revision.startsWith("/")) {
            throw new IllegalArgumentException("'" + revision + "' is not a revision (a branch, tag or commit)");
        }
    }

    /**
     * Reads a model entry as a Hub id, or returns empty when it is not written as one: without {@code hf:} an entry
     * must have exactly one {@code /} in its repo part (a bare name stays a bundle name) and must not look like a
     * filesystem path (absolute, {@code ./}, {@code ../}, {@code ~}).
     */
    public static Optional<HubModelId> parse(String entry) {
        if (entry == null) {
            return Optional.empty();
        }
        String text = entry.trim();
        boolean explicit = text.startsWith(PREFIX);
        if (explicit) {
            text = text.substring(PREFIX.length());
        } else if (text.startsWith("/") || text.startsWith(".") || text.startsWith("~") || text.contains("\\")) {
            return Optional.empty();
        }
        int at = text.indexOf('@');
        String repo = at < 0 ? text : text.substring(0, at);
        String revision = at < 0 ? DEFAULT_REVISION : text.substring(at + 1);
        if (!explicit && repo.indexOf('/') < 0) {
            return Optional.empty();
        }
        if (!isRepoId(repo)) {
            if (explicit) {
                throw new IllegalArgumentException("'" + entry + "' is not a Hub repo id (org/name[@revision])");
            }
            return Optional.empty();
        }
        return Optional.of(new HubModelId(repo, revision));
    }

    static boolean isRepoId(String repo) {
        if (repo == null || repo.contains("--") || repo.contains("..")) {
            return false;
        }
        String[] parts = repo.split("/", -1);
        if (parts.length > 2) {
            return false;
        }
        for (String part : parts) {
            if (!SEGMENT.matcher(part).matches()) {
                return false;
            }
        }
        return true;
    }

    /** True when the revision is a full commit hash: its snapshot never changes, so the cache answers alone. */
    public boolean pinned() {
        return COMMIT.matcher(revision).matches();
    }

    @Override
    public String toString() {
        return DEFAULT_REVISION.equals(revision) ? repo : repo + "@" + revision;
    }
}
