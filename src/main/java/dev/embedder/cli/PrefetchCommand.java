package dev.embedder.cli;

import dev.embedder.hub.HubException;
import dev.embedder.hub.HubModelId;
import dev.embedder.hub.HubRepository;
import dev.embedder.hub.HubSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code prefetch <id>… [--cache DIR]}: downloads Hub models into a Hugging Face cache ahead of time, with the same
 * selection, verification and layout as a server start, so an image or a Lambda zip can ship the cache and start
 * with {@code HF_HUB_OFFLINE=1}. It reads the usual {@code HF_*} variables ({@code --cache} overrides
 * {@code HF_HUB_CACHE}; {@code --no-symlinks} writes plain files, for a cache that goes into a zip); it neither boots
 * Quarkus nor loads a model.
 */
public final class PrefetchCommand {

    static final String USAGE = "usage: prefetch <org/name[@revision]>... [--cache DIR] [--variant V] [--no-symlinks]\n"
            + "  downloads what Embedder needs of each Hub model into the Hugging Face cache (HF_HUB_CACHE, HF_HOME,"
            + " default ~/.cache/huggingface/hub);\n  then start with HF_HUB_CACHE=DIR HF_HUB_OFFLINE=1"
            + " EMBEDDER_BUNDLE_MODELS=<the same ids>\n"
            + "  --variant: the ONNX variant the server will load (embedder.bundle.variant; default"
            + " EMBEDDER_BUNDLE_VARIANT, else fp32)\n"
            + "  --no-symlinks: snapshot files as plain files, blobs/ empty (for caches zipped into a Lambda package)";

    private PrefetchCommand() {}

    /** Runs the command; returns the exit status (0 all fetched, 1 a model failed, 2 bad arguments). */
    public static int run(String... args) {
        return run(HubSettings.fromEnvironment(), System.out, System.err, args);
    }

    static int run(HubSettings environment, PrintStream out, PrintStream err, String... args) {
        List<HubModelId> ids = new ArrayList<>();
        Optional<Path> cache = Optional.empty();
        boolean symlinks = true;
        Optional<String> variant = Optional.ofNullable(System.getenv("EMBEDDER_BUNDLE_VARIANT"));
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--cache") && i + 1 < args.length) {
                cache = Optional.of(Path.of(args[++i]));
            } else if (arg.startsWith("--cache=")) {
                cache = Optional.of(Path.of(arg.substring("--cache=".length())));
            } else if (arg.equals("--variant") && i + 1 < args.length) {
                variant = Optional.of(args[++i]);
            } else if (arg.equals("--no-symlinks")) {
                symlinks = false;
            } else if (arg.equals("-h") || arg.equals("--help")) {
                out.println(USAGE);
                return 0;
            } else {
                try {
                    Optional<HubModelId> id = HubModelId.parse(arg.contains("/") || arg.startsWith(HubModelId.PREFIX)
                            ? arg : HubModelId.PREFIX + arg);
                    if (id.isEmpty()) {
                        err.println("prefetch: '" + arg + "' is not a Hub model id\n" + USAGE);
                        return 2;
                    }
                    ids.add(id.get());
                } catch (IllegalArgumentException e) {
                    err.println("prefetch: " + e.getMessage() + "\n" + USAGE);
                    return 2;
                }
            }
        }
        if (ids.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        HubSettings settings = cache.map(environment::withCacheDir).orElse(environment);
        HubRepository repository = HubRepository.create(settings, variant.orElse(null), symlinks);
        int status = 0;
        for (HubModelId id : ids) {
            try {
                HubRepository.Snapshot snapshot = repository.snapshot(id);
                out.println(id + " -> " + snapshot.commit() + " " + snapshot.dir());
            } catch (HubException | IllegalStateException | java.io.UncheckedIOException e) {
                err.println("prefetch: " + id + ": " + e.getMessage());
                status = 1;
            }
        }
        if (status == 0) {
            out.println("cache ready: " + settings.cacheDir() + " (start with HF_HUB_CACHE=" + settings.cacheDir()
                    + " HF_HUB_OFFLINE=1)");
        }
        return status;
    }
}
