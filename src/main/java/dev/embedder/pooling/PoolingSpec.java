package dev.embedder.pooling;

import dev.embedder.bundle.PoolingMode;
import java.util.List;

/**
 * How one request turns hidden states into vectors.
 *
 * @param mode      mean or cls
 * @param layers    hidden-state indices, Hugging Face order (0 = embedding output, -1 = last layer);
 *                  several are averaged. Empty means the bundle's pooled output (e.g. last_hidden_state).
 * @param normalize L2-normalise the pooled vector
 * @param includePrefixTokens image token models only: let the class token (and any register tokens)
 *                  into the mean; by default the mean runs over patch tokens alone
 */
public record PoolingSpec(PoolingMode mode, List<Integer> layers, boolean normalize, boolean includePrefixTokens) {
    public PoolingSpec {
        layers = List.copyOf(layers);
    }

    public PoolingSpec(PoolingMode mode, List<Integer> layers, boolean normalize) {
        this(mode, layers, normalize, false);
    }
}
