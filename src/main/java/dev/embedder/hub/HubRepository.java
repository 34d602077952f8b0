package dev.embedder.hub;

import dev.embedder.bundle.hf.OnnxFileChoice;
import dev.embedder.hub.HubClient.FileMetadata;
import dev.embedder.hub.HubClient.RepoFile;
import dev.embedder.hub.HubClient.RepoInfo;
import dev.embedder.hub.HubException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * A Hub model as a local snapshot folder: the one place that decides whether the network is used. The folder it
 * returns ({@code snapshots/<commit>/} of the standard cache) is an ordinary Hugging Face directory, loaded like any
 * other local one.
 * <ul>
 * <li>{@code HF_HUB_OFFLINE=1}: the cache only (the commit from {@code refs/<revision>}, or the revision itself
 * when it is a commit); not cached is a startup error.</li>
 * <li>A pinned commit whose snapshot already holds the model: no network call at all.</li>
 * <li>Otherwise one model-info call resolves the revision and lists the files; only the selected files are
 * fetched (a blob already cached is verified and reused, not downloaded). When the Hub cannot be reached and the
 * cache has the revision, the cached snapshot is used with a warning (huggingface_hub does the same).</li>
 * </ul>
 */
public final class HubRepository {

    private static final Logger LOG = Logger.getLogger(HubRepository.class);

    private final HubSettings settings;
    private final RepoFileSelection selection;
    private final Function<Collection<String>, Optional<String>> onnxChoice;
    private final boolean symlinks;
    private HubClient client;

    /** A model made available locally: the commit it is at and its snapshot folder. */
    public record Snapshot(HubModelId id, String commit, Path dir) {}

    public HubRepository(HubSettings settings, Function<Collection<String>, Optional<String>> onnxChoice) {
        this(settings, onnxChoice, true);
    }

    /**
     * {@code symlinks} false: snapshot files are plain files and {@code blobs/} stays empty (huggingface_hub's layout
     * without symlinks), for caches that are zipped into a package.
     */
    public HubRepository(HubSettings settings, Function<Collection<String>, Optional<String>> onnxChoice,
            boolean symlinks) {
        this.symlinks = symlinks;
        this.settings = settings;
        this.onnxChoice = onnxChoice;
        this.selection = new RepoFileSelection(onnxChoice);
    }

    /**
     * A repository whose file selection uses the directory interpreter's ONNX rule ({@link OnnxFileChoice}) for the
     * configured variant, so the snapshot holds exactly the file the interpreter will pick.
     */
    public static HubRepository create(HubSettings settings, String variant) {
        return create(settings, variant, true);
    }

    public static HubRepository create(HubSettings settings, String variant, boolean symlinks) {
        return new HubRepository(settings, paths -> OnnxFileChoice.choose(paths, variant), symlinks);
    }

    public HubSettings settings() {
        return settings;
    }

    public Snapshot snapshot(HubModelId id) {
        HubCache cache = new HubCache(settings.cacheDir(), id.repo());
        if (settings.offline()) {
            return cached(id, cache).orElseThrow(() -> new HubException(Reason.OFFLINE_NOT_CACHED,
                    "HF_HUB_OFFLINE is set and model " + id + " is not in the cache " + settings.cacheDir()
                            + " (no complete snapshot for revision '" + id.revision() + "'): fill it ahead of time with"
                            + " the prefetch command (java -jar quarkus-app/quarkus-run.jar prefetch " + id + " --cache <dir>),"
                            + " point HF_HUB_CACHE at that cache, or unset HF_HUB_OFFLINE"));
        }
        if (id.pinned()) {
            Optional<Snapshot> cached = cached(id, cache);
            if (cached.isPresent()) {
                LOG.infof("Model %s: commit %s from the cache %s (pinned, no network)", id.repo(), id.revision(),
                        settings.cacheDir());
                return cached.get();
            }
        }
        RepoInfo info;
        try {
            info = client().info(id);
        } catch (HubException e) {
            if (e.transientFailure()) {
                Optional<Snapshot> cached = cached(id, cache);
                if (cached.isPresent()) {
                    LOG.warnf("Model %s: %s; using the cached snapshot %s", id, e.getMessage(), cached.get().commit());
                    return cached.get();
                }
            }
            throw e;
        }
        return fetch(id, cache, info);
    }

    private Snapshot fetch(HubModelId id, HubCache cache, RepoInfo info) {
        String commit = info.commit();
        Map<String, RepoFile> listing = info.files().stream()
                .collect(Collectors.toMap(RepoFile::path, f -> f, (a, b) -> a, java.util.LinkedHashMap::new));
        List<String> wanted = selection.select(listing.keySet()).orElseThrow(() -> noOnnx(id, listing.keySet()));
        cache.writeRef(id.revision(), commit);
        long started = System.nanoTime();
        long bytes = 0;
        for (String path : wanted) {
            RepoFile file = listing.get(path);
            FileMetadata[] head = new FileMetadata[1];
            String etag = file.etag().orElseGet(() -> (head[0] = client().metadata(id, commit, path)).etag());
            long size = file.size().orElse(head[0] != null ? head[0].size() : -1);
            bytes += Math.max(size, 0);
            if (!symlinks && plainCopyVerified(cache, commit, path, etag, size)) {
                continue;
            }
            new BlobDownloader(client(), cache).fetch(id, path, etag, size,
                    () -> head[0] != null ? head[0] : client().metadata(id, commit, path));
            if (symlinks) {
                cache.link(commit, path, etag);
            } else {
                cache.moveIntoSnapshot(commit, path, etag);
            }
        }
        for (String absent : RepoFileSelection.absentRootFiles(listing.keySet())) {
            cache.markAbsent(commit, absent);
        }
        LOG.infof("Model %s: revision '%s' = commit %s, %d files (%s) ready in %d ms in %s", id.repo(),
                id.revision(), commit, wanted.size(), BlobDownloader.megabytes(bytes),
                (System.nanoTime() - started) / 1_000_000, cache.snapshotDir(commit));
        return new Snapshot(id, commit, cache.snapshotDir(commit));
    }

    private static boolean plainCopyVerified(HubCache cache, String commit, String path, String etag, long size) {
        Path file = cache.snapshotDir(commit).resolve(path);
        try {
            return Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    && BlobDownloader.verified(file, etag, size);
        } catch (IOException e) {
            return false;
        }
    }

    /** The cached snapshot for the revision, when the selection finds a model in it. */
    private Optional<Snapshot> cached(HubModelId id, HubCache cache) {
        Optional<String> commit = cache.commitOf(id.revision());
        if (commit.isEmpty()) {
            return Optional.empty();
        }
        Path dir = cache.snapshotDir(commit.get());
        List<String> present = localFiles(dir);
        Optional<List<String>> wanted = selection.select(present);
        if (wanted.isEmpty() || !(present.contains("tokenizer.json") || present.contains("preprocessor_config.json"))) {
            return Optional.empty();
        }
        return Optional.of(new Snapshot(id, commit.get(), dir));
    }

    /** Paths of the readable files under a snapshot (symlinks followed; a broken one is not a file). */
    static List<String> localFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir, 8)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.startsWith(".") && !p.contains("/."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private HubException noOnnx(HubModelId id, Collection<String> paths) {
        List<String> onnx = RepoFileSelection.onnxFiles(paths);
        String files = paths.size() > 25 ? paths.stream().limit(25).collect(Collectors.joining(", ")) + ", …"
                : String.join(", ", paths);
        return new HubException(Reason.NO_ONNX, "model repo '" + id.repo() + "' at " + id.revision()
                + (onnx.isEmpty() ? " has no ONNX export" : " has no ONNX file this variant selects (ONNX files: "
                        + String.join(", ", onnx) + ")")
                + " (files: " + files + "). Export one with `optimum-cli export onnx --model " + id.repo()
                + " --task feature-extraction <dir>` and load that directory (or push it to a repo of your own), or"
                + " use a repo that publishes onnx/model.onnx");
    }

    private synchronized HubClient client() {
        if (client == null) {
            client = new HubClient(settings);
        }
        return client;
    }
}
