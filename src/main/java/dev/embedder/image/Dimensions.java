package dev.embedder.image;

/** A height and width in pixels, as HF writes them ({@code {"height": h, "width": w}}). */
public record Dimensions(int height, int width) implements ResizeTarget {
    /**
     * Upper bound for any configured edge. Not a model fact but a guard against typos: the output tensor is
     * 12 bytes per pixel, so a mistyped 22400 would allocate gigabytes per request.
     */
    static final int MAX_EDGE = 4096;

    public Dimensions {
        checkEdge("height", height);
        checkEdge("width", width);
    }

    static void checkEdge(String field, int value) {
        if (value < 1 || value > MAX_EDGE) {
            throw new IllegalArgumentException(field + " must be between 1 and " + MAX_EDGE + ", got " + value);
        }
    }
}
