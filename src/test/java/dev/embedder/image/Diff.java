package dev.embedder.image;

/** Mean and max absolute difference between two tensors, for fidelity assertions and reports. */
record Diff(double meanAbs, double maxAbs) {
    static Diff of(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new AssertionError("length " + actual.length + " != expected " + expected.length);
        }
        double sum = 0;
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) expected[i] - actual[i]);
            sum += d;
            max = Math.max(max, d);
        }
        return new Diff(sum / expected.length, max);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "mean-abs %.6f, max-abs %.6f", meanAbs, maxAbs);
    }
}
