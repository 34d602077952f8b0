package dev.embedder.cli;

import dev.embedder.bundle.BundleLoader;
import dev.embedder.bundle.ModelBundle;
import dev.embedder.inference.GraphAdditions;
import dev.embedder.service.BundleOutputs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code prepare-models <folder>…}: writes into each model file, once, the outputs a server start would otherwise
 * append to a fresh copy of it at every start (the hidden states the bundle reads, and for text the default pooling
 * run inside the graph). A prepared model then loads in place: no copy of its weights per start. A folder is a
 * bundle folder ({@code bundle.json}), a Hugging Face model directory, or a folder of bundle folders (such as
 * {@code model-bundle/}). The model stays a valid ONNX file with a few more outputs; rewriting is atomic
 * (a complete copy renamed over it), and a prepared model is left as it is. For folders a server loads in place
 * (a container image's bundle folders, a model directory); a bundle on the classpath is copied out at every start
 * anyway. Not for Hugging Face caches: their files are checked against the Hub's hashes.
 */
public final class PrepareModelsCommand {

    static final String USAGE = "usage: prepare-models <folder>... [--variant V] [--no-graph-pooling]\n"
            + "  writes the outputs a start needs into each model file, so later starts load it in place;\n"
            + "  a folder is a bundle folder, a Hugging Face model directory, or a folder of bundle folders\n"
            + "  --variant: the ONNX variant of Hugging Face directories (default EMBEDDER_BUNDLE_VARIANT, else fp32)\n"
            + "  --no-graph-pooling: for servers started with embedder.inference.graph-pooling=false";

    private PrepareModelsCommand() {}

    /** The native build's entry point (exec-maven-plugin, in Maven's own JVM): fails the build instead of exiting. */
    public static void main(String... args) {
        int status = run(args);
        if (status != 0) {
            throw new IllegalStateException("prepare-models failed (status " + status + ")");
        }
    }

    public static int run(String... args) {
        return run(System.out, System.err, args);
    }

    /** Returns the exit status: 0 all prepared (or already), 1 a folder failed, 2 bad arguments. */
    static int run(PrintStream out, PrintStream err, String... args) {
        List<Path> folders = new ArrayList<>();
        Optional<String> variant = Optional.ofNullable(System.getenv("EMBEDDER_BUNDLE_VARIANT"));
        boolean graphPooling = true;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--variant") && i + 1 < args.length) {
                variant = Optional.of(args[++i]);
            } else if (arg.equals("--no-graph-pooling")) {
                graphPooling = false;
            } else if (arg.equals("-h") || arg.equals("--help")) {
                out.println(USAGE);
                return 0;
            } else if (arg.startsWith("-")) {
                err.println("prepare-models: unknown option " + arg + "\n" + USAGE);
                return 2;
            } else {
                folders.add(Path.of(arg));
            }
        }
        if (folders.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        BundleLoader loader = new BundleLoader(List.of(), variant.orElse(null));
        int status = 0;
        for (Path folder : folders) {
            try {
                for (Path dir : bundleFolders(folder)) {
                    ModelBundle bundle = loader.loadDirectory(dir, null);
                    Path model = bundle.localModel();
                    if (model == null) {
                        throw new IllegalStateException(dir + ": the bundle's model file is missing");
                    }
                    BundleOutputs outputs = BundleOutputs.of(bundle.manifest(), graphPooling);
                    GraphAdditions additions = GraphAdditions.needed(model, outputs.tensors(), outputs.pooling());
                    boolean changed = additions.prepare(model);
                    out.println((changed ? "prepared " : "already prepared ") + bundle.name() + ": " + model);
                }
            } catch (IOException | RuntimeException e) {
                err.println("prepare-models: " + folder + ": " + e.getMessage());
                status = 1;
            }
        }
        return status;
    }

    /** The folder itself when it holds one bundle, else its subfolders that do. */
    private static List<Path> bundleFolders(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IllegalStateException("no such folder");
        }
        if (holdsBundle(folder)) {
            return List.of(folder);
        }
        try (Stream<Path> children = Files.list(folder)) {
            List<Path> bundles = children.filter(PrepareModelsCommand::holdsBundle).sorted().toList();
            if (bundles.isEmpty()) {
                throw new IllegalStateException("neither a bundle folder nor a folder of bundle folders");
            }
            return bundles;
        }
    }

    /** A bundle folder (its manifest) or a Hugging Face model directory (its config.json). */
    private static boolean holdsBundle(Path dir) {
        return Files.isRegularFile(dir.resolve("bundle.json")) || Files.isRegularFile(dir.resolve("config.json"));
    }
}
