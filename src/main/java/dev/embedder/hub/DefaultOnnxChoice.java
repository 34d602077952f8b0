package dev.embedder.hub;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Placeholder ONNX rule until the directory interpreter's is merged: onnx/model.onnx, then model.onnx. */
final class DefaultOnnxChoice {

    private DefaultOnnxChoice() {}

    static Optional<String> choose(Collection<String> paths) {
        return List.of("onnx/model.onnx", "model.onnx").stream().filter(paths::contains).findFirst();
    }
}
