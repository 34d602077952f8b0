package dev.embedder.pooling;

import dev.embedder.inference.Tensor;

/**
 * Pure pooling functions over hidden states. No model, no ONNX Runtime: testable on small arrays.
 * Sums are accumulated in double so that averaging hundreds of tokens does not lose float precision.
 */
public final class Pooler {

    private Pooler() {}

    /**
     * Mask-aware mean over tokens of a [batch, tokens, dim] tensor: padding tokens (mask 0) do not
     * count, so a sentence gets the same vector whatever batch it was padded in.
     */
    public static float[][] maskedMean(Tensor hidden, long[] mask) {
        int batch = hidden.dim(0);
        int tokens = hidden.dim(1);
        int dim = hidden.dim(2);
        float[] data = hidden.data();
        float[][] out = new float[batch][dim];
        double[] acc = new double[dim];
        for (int b = 0; b < batch; b++) {
            java.util.Arrays.fill(acc, 0);
            int count = 0;
            for (int t = 0; t < tokens; t++) {
                if (mask[b * tokens + t] == 0) {
                    continue;
                }
                count++;
                int offset = (b * tokens + t) * dim;
                for (int d = 0; d < dim; d++) {
                    acc[d] += data[offset + d];
                }
            }
            for (int d = 0; d < dim; d++) {
                out[b][d] = count == 0 ? 0f : (float) (acc[d] / count);
            }
        }
        return out;
    }

    /** Mean over tokens of a [batch, tokens, dim] tensor starting at {@code firstToken} (1 skips ViT's CLS). */
    public static float[][] tokenMean(Tensor hidden, int firstToken) {
        int batch = hidden.dim(0);
        int tokens = hidden.dim(1);
        int dim = hidden.dim(2);
        long[] mask = new long[batch * tokens];
        for (int b = 0; b < batch; b++) {
            for (int t = firstToken; t < tokens; t++) {
                mask[b * tokens + t] = 1;
            }
        }
        return maskedMean(hidden, mask);
    }

    /** The first token's state of a [batch, tokens, dim] tensor. */
    public static float[][] first(Tensor hidden) {
        int batch = hidden.dim(0);
        int tokens = hidden.dim(1);
        int dim = hidden.dim(2);
        float[][] out = new float[batch][dim];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(hidden.data(), b * tokens * dim, out[b], 0, dim);
        }
        return out;
    }

    /**
     * The first real token (mask 1) of each row: BERT's [CLS] whatever side the batch is padded on (with right
     * padding, token 0).
     */
    public static float[][] firstReal(Tensor hidden, long[] mask) {
        return pick(hidden, mask, true);
    }

    /** The last real token (highest position with mask 1) of each row, for left and right padding alike. */
    public static float[][] lastToken(Tensor hidden, long[] mask) {
        return pick(hidden, mask, false);
    }

    private static float[][] pick(Tensor hidden, long[] mask, boolean first) {
        int batch = hidden.dim(0);
        int tokens = hidden.dim(1);
        int dim = hidden.dim(2);
        float[][] out = new float[batch][dim];
        for (int b = 0; b < batch; b++) {
            int chosen = -1;
            for (int t = 0; t < tokens; t++) {
                if (mask[b * tokens + t] != 0) {
                    chosen = t;
                    if (first) {
                        break;
                    }
                }
            }
            if (chosen >= 0) {
                System.arraycopy(hidden.data(), (b * tokens + chosen) * dim, out[b], 0, dim);
            }
        }
        return out;
    }

    /** Element-wise maximum over the real tokens (mask 1) of a [batch, tokens, dim] tensor; padding never counts. */
    public static float[][] maskedMax(Tensor hidden, long[] mask) {
        int batch = hidden.dim(0);
        int tokens = hidden.dim(1);
        int dim = hidden.dim(2);
        float[] data = hidden.data();
        float[][] out = new float[batch][dim];
        for (int b = 0; b < batch; b++) {
            java.util.Arrays.fill(out[b], Float.NEGATIVE_INFINITY);
            boolean any = false;
            for (int t = 0; t < tokens; t++) {
                if (mask[b * tokens + t] == 0) {
                    continue;
                }
                any = true;
                int offset = (b * tokens + t) * dim;
                for (int d = 0; d < dim; d++) {
                    out[b][d] = Math.max(out[b][d], data[offset + d]);
                }
            }
            if (!any) {
                java.util.Arrays.fill(out[b], 0f);
            }
        }
        return out;
    }

    /** Mean over the spatial positions of a [batch, channels, height, width] feature map. */
    public static float[][] spatialMean(Tensor features) {
        int batch = features.dim(0);
        int channels = features.dim(1);
        int positions = features.dim(2) * features.dim(3);
        float[] data = features.data();
        float[][] out = new float[batch][channels];
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < channels; c++) {
                int offset = (b * channels + c) * positions;
                double sum = 0;
                for (int p = 0; p < positions; p++) {
                    sum += data[offset + p];
                }
                out[b][c] = (float) (sum / positions);
            }
        }
        return out;
    }

    /** Element-wise average of per-layer pooled vectors (several layers → one vector per input). */
    public static float[][] average(java.util.List<float[][]> perLayer) {
        if (perLayer.size() == 1) {
            return perLayer.get(0);
        }
        int batch = perLayer.get(0).length;
        int dim = perLayer.get(0)[0].length;
        float[][] out = new float[batch][dim];
        for (int b = 0; b < batch; b++) {
            for (int d = 0; d < dim; d++) {
                double sum = 0;
                for (float[][] layer : perLayer) {
                    sum += layer[b][d];
                }
                out[b][d] = (float) (sum / perLayer.size());
            }
        }
        return out;
    }

    /**
     * The first {@code length} token states of sequence {@code b}, element-wise averaged over several
     * [batch, tokens, dim] tensors: no pooling, and the padding after {@code length} is left out.
     */
    public static float[][] tokens(java.util.List<Tensor> layers, int b, int length) {
        Tensor first = layers.get(0);
        int tokens = first.dim(1);
        int dim = first.dim(2);
        float[][] out = new float[length][dim];
        for (int t = 0; t < length; t++) {
            int offset = (b * tokens + t) * dim;
            for (int d = 0; d < dim; d++) {
                double sum = 0;
                for (Tensor layer : layers) {
                    sum += layer.data()[offset + d];
                }
                out[t][d] = (float) (sum / layers.size());
            }
        }
        return out;
    }
}
