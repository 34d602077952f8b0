package dev.embedder.image;

/** Resize target arithmetic, following transformers' {@code get_resize_output_image_size}. */
final class OutputSize {
    private OutputSize() {
    }

    /**
     * Size after scaling the shorter edge to {@code shortestEdge} with the aspect ratio kept
     * ({@code default_to_square=False}). HF computes the long edge as {@code int(size * long / short)}: a
     * float division truncated toward zero, not rounded, so a 451x300 image at 224 becomes 336 wide, not 337.
     *
     * @return {height, width}
     */
    static int[] forShortestEdge(int height, int width, int shortestEdge) {
        boolean portrait = width <= height;
        int shortSide = portrait ? width : height;
        int longSide = portrait ? height : width;
        // The product is exact in a double (both factors are ints), so this equals Python's true division.
        int newLong = (int) ((double) ((long) shortestEdge * longSide) / shortSide);
        return portrait ? new int[] {newLong, shortestEdge} : new int[] {shortestEdge, newLong};
    }
}
