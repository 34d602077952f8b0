package dev.embedder.inference;

import java.util.Arrays;

/**
 * A dense float tensor copied out of ONNX Runtime, row-major. Text hidden states are
 * [batch, tokens, dim]; image hidden states are [batch, tokens, dim] (ViT) or [batch, C, H, W] (CNN).
 */
public record Tensor(float[] data, long[] shape) {

    public int dim(int axis) {
        return Math.toIntExact(shape[axis]);
    }

    public int rank() {
        return shape.length;
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
