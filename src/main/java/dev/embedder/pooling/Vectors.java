package dev.embedder.pooling;

/** Vector post-processing applied after pooling. */
public final class Vectors {

    private Vectors() {}

    /** Scales to unit L2 length in place; a zero vector stays zero rather than becoming NaN. */
    public static float[] l2Normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        if (sum > 0) {
            double inv = 1.0 / Math.sqrt(sum);
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (v[i] * inv);
            }
        }
        return v;
    }

    /**
     * Keeps the first {@code dimensions} components (OpenAI's {@code dimensions} parameter); the caller
     * renormalises, since a cut unit vector is no longer unit length.
     */
    public static float[] truncate(float[] v, int dimensions) {
        return dimensions >= v.length ? v : java.util.Arrays.copyOf(v, dimensions);
    }

    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
