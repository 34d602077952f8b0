package dev.embedder.pooling;

/**
 * A sentence-transformers {@code Dense} module applied to pooled vectors: y = activation(W x + b), W stored
 * row-major [out, in]. Pure arithmetic (double accumulation); the weights come from the bundle's safetensors.
 */
public final class DenseLayer {

    private final float[] weight;
    private final float[] bias;
    private final int in;
    private final int out;
    private final boolean tanh;

    public DenseLayer(float[] weight, float[] bias, int in, int out, boolean tanh) {
        if (weight.length != (long) in * out) {
            throw new IllegalArgumentException("dense weight has " + weight.length + " values, expected " + out + " x " + in);
        }
        if (bias != null && bias.length != out) {
            throw new IllegalArgumentException("dense bias has " + bias.length + " values, expected " + out);
        }
        this.weight = weight;
        this.bias = bias;
        this.in = in;
        this.out = out;
        this.tanh = tanh;
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }

    public float[] apply(float[] x) {
        if (x.length != in) {
            throw new IllegalArgumentException("dense layer expects " + in + " inputs, got " + x.length);
        }
        float[] y = new float[out];
        for (int o = 0; o < out; o++) {
            double sum = bias == null ? 0 : bias[o];
            int row = o * in;
            for (int i = 0; i < in; i++) {
                sum += (double) weight[row + i] * x[i];
            }
            y[o] = (float) (tanh ? Math.tanh(sum) : sum);
        }
        return y;
    }
}
