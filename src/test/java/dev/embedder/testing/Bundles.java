package dev.embedder.testing;

import dev.embedder.bundle.BundleLoader;
import dev.embedder.bundle.ModelBundle;
import dev.embedder.inference.GraphPooling;
import dev.embedder.inference.OnnxSession;
import dev.embedder.inference.SessionSettings;
import dev.embedder.text.TextEmbedder;
import dev.embedder.text.TextPreprocessor;
import java.util.List;

/** Opens bundles from the build output without CDI, for tests below the service layer. */
public final class Bundles {

    private Bundles() {}

    public static ModelBundle load(String name) {
        return new BundleLoader(List.of("classpath:model-bundle")).load(name);
    }

    public static TextEmbedder textEmbedder(String name, int maxBatchSize) {
        return textEmbedder(name, maxBatchSize, new SessionSettings(0, 1, "all"));
    }

    /** As the service builds it: the bundle's default pooling in the graph (embedder.inference.graph-pooling). */
    public static TextEmbedder textEmbedder(String name, int maxBatchSize, SessionSettings settings) {
        ModelBundle bundle = load(name);
        var manifest = bundle.manifest();
        return new TextEmbedder(manifest, new TextPreprocessor(bundle.read("tokenizer"), manifest.maxTokens()),
                new OnnxSession(bundle.read("model"), manifest.hiddenStates(),
                        GraphPooling.forDefaults(manifest).stream().toList(), settings), maxBatchSize, 16384, List.of(),
                // As the service: micro-batches side by side (embedder.inference.parallel-runs' default).
                dev.embedder.inference.CpuBudget.parallelRuns(0));
    }

    /** A model directory in Hugging Face layout, opened as ModelRegistry opens it (Dense layers included). */
    public static TextEmbedder textEmbedder(java.nio.file.Path hfDirectory, int maxBatchSize) {
        ModelBundle bundle = new BundleLoader(List.of()).loadDirectory(hfDirectory, null);
        var manifest = bundle.manifest();
        return new TextEmbedder(manifest, new TextPreprocessor(bundle.read("tokenizer"), manifest.maxTokens()),
                new OnnxSession(bundle.stageModel(), manifest.hiddenStates(),
                        GraphPooling.forDefaults(manifest).stream().toList(), new SessionSettings(0, 1, "all")),
                maxBatchSize, 16384, bundle.denseLayers(), dev.embedder.inference.CpuBudget.parallelRuns(0));
    }
}
