package dev.embedder.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The Hugging Face cache layout of one model repository (huggingface_hub's {@code file_download.py}; the Rust
 * {@code hf-hub} crate writes the same), so what {@code huggingface-cli download} fetched is reused and the other
 * way round:
 * <pre>
 * {cache}/models--{org}--{name}/blobs/{etag}                 file contents, named by sha256 (LFS) or git sha1
 * {cache}/models--{org}--{name}/blobs/{etag}.incomplete      a download in progress (resumed by Range)
 * {cache}/models--{org}--{name}/refs/{revision}              the commit a branch or tag pointed at, 40 hex
 * {cache}/models--{org}--{name}/snapshots/{commit}/{path}    relative symlink to ../../blobs/{etag} (copy where
 *                                                            the filesystem has no symlinks)
 * {cache}/models--{org}--{name}/.no_exist/{commit}/{path}    empty: the file is known not to exist at that commit
 * {cache}/.locks/models--{org}--{name}/{etag}.lock          held while the blob is written
 * </pre>
 */
public final class HubCache {

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    private final Path root;
    private final String repo;
    private final Path repoDir;

    public HubCache(Path cacheDir, String repo) {
        this.root = cacheDir;
        this.repo = repo;
        this.repoDir = cacheDir.resolve(folderName(repo));
    }

    /** {@code models--org--name}: the repo type, then the id with {@code /} replaced by {@code --}. */
    public static String folderName(String repo) {
        return "models--" + repo.replace("/", "--");
    }

    public Path repoDir() {
        return repoDir;
    }

    public Path blob(String etag) {
        return repoDir.resolve("blobs").resolve(checkEtag(etag));
    }

    public Path incomplete(String etag) {
        return repoDir.resolve("blobs").resolve(checkEtag(etag) + ".incomplete");
    }

    public Path lockFile(String etag) {
        return root.resolve(".locks").resolve(folderName(repo)).resolve(checkEtag(etag) + ".lock");
    }

    public Path snapshotDir(String commit) {
        return repoDir.resolve("snapshots").resolve(checkCommit(commit));
    }

    /** The commit a revision stands for in the cache: itself when it is a commit, else what refs/ recorded. */
    public Optional<String> commitOf(String revision) {
        if (COMMIT.matcher(revision).matches()) {
            return Optional.of(revision);
        }
        Path ref = refFile(revision);
        try {
            if (!Files.isRegularFile(ref)) {
                return Optional.empty();
            }
            String commit = Files.readString(ref, StandardCharsets.UTF_8).trim();
            return COMMIT.matcher(commit).matches() ? Optional.of(commit) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Records which commit a branch or tag points at (no-op for a commit revision), written atomically. */
    public void writeRef(String revision, String commit) {
        checkCommit(commit);
        if (revision.equals(commit)) {
            return;
        }
        Path ref = refFile(revision);
        try {
            if (Files.isRegularFile(ref) && Files.readString(ref, StandardCharsets.UTF_8).trim().equals(commit)) {
                return;
            }
            Files.createDirectories(ref.getParent());
            Path temp = ref.resolveSibling(ref.getFileName() + "." + UUID.randomUUID() + ".tmp");
            Files.writeString(temp, commit, StandardCharsets.UTF_8);
            moveAtomically(temp, ref);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + ref, e);
        }
    }

    /** The file as the snapshot holds it, when it is there and readable (a symlink to a present blob, or a copy). */
    public Optional<Path> snapshotFile(String commit, String path) {
        Path file = snapshotDir(commit).resolve(checkPath(path));
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /**
     * Makes {@code snapshots/{commit}/{path}} point at {@code blobs/{etag}}: a relative symlink as huggingface_hub
     * makes it, replacing a stale or broken one atomically; a copy where symlinks are not supported.
     */
    public Path link(String commit, String path, String etag) {
        Path target = snapshotDir(commit).resolve(checkPath(path));
        Path blob = blob(etag);
        try {
            Files.createDirectories(target.getParent());
            Path relative = target.getParent().relativize(blob);
            if (Files.isSymbolicLink(target) && Files.readSymbolicLink(target).equals(relative)) {
                return target;
            }
            Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
            try {
                Files.createSymbolicLink(temp, relative);
            } catch (UnsupportedOperationException | IOException noSymlinks) {
                Files.copy(blob, temp, StandardCopyOption.REPLACE_EXISTING);
            }
            moveAtomically(temp, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot link " + target + " to " + blob, e);
        }
    }

    /**
     * Moves the blob into {@code snapshots/{commit}/{path}} as a plain file: the layout huggingface_hub writes where
     * symlinks are unsupported, and what a package (a Lambda zip, which would store each symlink's target again)
     * ships. The snapshot then holds the only copy.
     */
    public Path moveIntoSnapshot(String commit, String path, String etag) {
        Path target = snapshotDir(commit).resolve(checkPath(path));
        try {
            Files.createDirectories(target.getParent());
            if (Files.isSymbolicLink(target)) {
                Files.delete(target);
            }
            moveAtomically(blob(etag), target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + blob(etag) + " to " + target, e);
        }
    }

    /** Marks a file as absent at a commit ({@code .no_exist}), so a later offline start knows not to look for it. */
    public void markAbsent(String commit, String path) {
        Path marker = repoDir.resolve(".no_exist").resolve(checkCommit(commit)).resolve(checkPath(path));
        try {
            if (!Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(marker.getParent());
                Files.createFile(marker);
            }
        } catch (FileAlreadyExistsException raced) {
            // another process marked it first
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + marker, e);
        }
    }

    public boolean knownAbsent(String commit, String path) {
        return Files.exists(repoDir.resolve(".no_exist").resolve(checkCommit(commit)).resolve(checkPath(path)));
    }

    private Path refFile(String revision) {
        // refs/pr/1 nests, as huggingface_hub writes it
        return repoDir.resolve("refs").resolve(checkPath(revision));
    }

    static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String checkEtag(String etag) {
        if (etag == null || !etag.matches("[0-9A-Za-z_.-]{1,128}") || etag.startsWith(".")) {
            throw new HubException(HubException.Reason.PROTOCOL, "the Hub sent an unusable ETag '" + etag + "'");
        }
        return etag;
    }

    private static String checkCommit(String commit) {
        if (commit == null || !COMMIT.matcher(commit).matches()) {
            throw new HubException(HubException.Reason.PROTOCOL, "'" + commit + "' is not a commit hash");
        }
        return commit;
    }

    /** Repository paths come from the Hub's listing: never let one climb out of the snapshot folder. */
    private static String checkPath(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\")) {
            throw new HubException(HubException.Reason.PROTOCOL, "unusable repository path '" + path + "'");
        }
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new HubException(HubException.Reason.PROTOCOL, "unusable repository path '" + path + "'");
            }
        }
        return path;
    }
}
