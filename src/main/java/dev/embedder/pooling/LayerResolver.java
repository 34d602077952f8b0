package dev.embedder.pooling;

import dev.embedder.error.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps requested layer indices to the graph tensors that hold them. Indices follow Hugging Face's
 * {@code output_hidden_states}: 0 is the embedding output, n-1 the last layer, and negative indices
 * count from the end, so {@code [-1]} is the last layer and {@code [-4,-3,-2,-1]} the last four.
 */
public final class LayerResolver {

    private LayerResolver() {}

    public static List<String> tensorsFor(List<Integer> layers, List<String> hiddenStates, String model) {
        if (hiddenStates.isEmpty()) {
            throw new InvalidInputException("model '" + model + "' exposes no hidden layers; omit 'layers'");
        }
        int n = hiddenStates.size();
        List<String> names = new ArrayList<>(layers.size());
        for (Integer layer : layers) {
            if (layer == null || layer < -n || layer >= n) {
                throw new InvalidInputException("layer " + layer + " is out of range for model '" + model
                        + "': it has " + n + " hidden states, indices 0.." + (n - 1) + " or -" + n + "..-1");
            }
            String name = hiddenStates.get(layer < 0 ? n + layer : layer);
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }
}
