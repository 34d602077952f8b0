package dev.embedder.service;

import dev.embedder.bundle.BundleManifest;
import dev.embedder.bundle.Modality;
import dev.embedder.inference.GraphPooling;
import java.util.ArrayList;
import java.util.List;

/**
 * What a bundle's session reads beyond the model's own outputs: the hidden states its manifest names (and an
 * image model's pooled output), and for text the default pooling run inside the graph
 * ({@code embedder.inference.graph-pooling}; requests asking for other pooling are pooled in Java from the hidden
 * states). Decided here once, for the sessions {@link ModelRegistry} opens and for {@code prepare-models}, which
 * writes the same outputs into model files ahead of time.
 */
public record BundleOutputs(List<String> tensors, List<GraphPooling> pooling) {

    public static BundleOutputs of(BundleManifest manifest, boolean graphPooling) {
        List<String> tensors = new ArrayList<>(manifest.hiddenStates());
        if (manifest.modality() == Modality.IMAGE) {
            if (manifest.pooling().output() != null) {
                tensors.add(manifest.pooling().output());
            }
            return new BundleOutputs(List.copyOf(tensors), List.of());
        }
        List<GraphPooling> pooling = graphPooling ? GraphPooling.forDefaults(manifest).stream().toList() : List.of();
        return new BundleOutputs(List.copyOf(tensors), pooling);
    }
}
