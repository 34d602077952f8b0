package dev.embedder.image;

/**
 * Resizes an {@link RgbImage} the way Pillow's {@code Image.resize} does for 8-bit RGB images.
 *
 * <p>Why not {@code java.awt} scaling: AWT's bilinear/bicubic do not antialias when shrinking and use
 * another cubic, so a 4x downscale would differ from HF's pixels by whole intensity levels. Pillow instead
 * convolves each axis separately with the filter stretched by the downscale factor, normalises the weights,
 * converts them to 22-bit fixed point and rounds/clamps to uint8 after each pass. Each of those details
 * changes output values by ±1, so all of them are reproduced here (horizontal pass first, as Pillow does).
 */
final class PillowResize {
    /** Pillow's fixed-point precision for 8-bit images: 32 bits minus 8 for the pixel minus 2 of headroom. */
    private static final int PRECISION_BITS = 32 - 8 - 2;

    private PillowResize() {
    }

    static RgbImage resize(RgbImage src, int outWidth, int outHeight, Resample filter) {
        if (outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("target size must be positive: " + outWidth + "x" + outHeight);
        }
        if (outWidth == src.width() && outHeight == src.height()) {
            // Pillow returns a copy without resampling when the size is unchanged; so do we.
            return src;
        }
        if (filter == Resample.NEAREST) {
            return nearest(src, outWidth, outHeight);
        }
        RgbImage out = src;
        if (outWidth != src.width()) {
            out = horizontal(out, outWidth, Coefficients.compute(src.width(), outWidth, filter));
        }
        if (outHeight != src.height()) {
            out = vertical(out, outHeight, Coefficients.compute(src.height(), outHeight, filter));
        }
        return out;
    }

    /** Per output pixel: first source index, number of taps, and fixed-point weights. */
    record Coefficients(int ksize, int[] first, int[] count, int[] weights) {
        static Coefficients compute(int inSize, int outSize, Resample filter) {
            double scale = (double) inSize / outSize;
            // Shrinking widens the kernel so every source pixel contributes (antialiasing); enlarging does not.
            double filterScale = Math.max(scale, 1.0);
            double support = filter.support() * filterScale;
            int ksize = (int) Math.ceil(support) * 2 + 1;
            int[] first = new int[outSize];
            int[] count = new int[outSize];
            int[] weights = new int[outSize * ksize];
            double[] k = new double[ksize];
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                // Pillow truncates these toward zero after adding 0.5; kept identical, including for negatives.
                int xmin = Math.max(0, (int) (center - support + 0.5));
                int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
                double sum = 0.0;
                for (int x = 0; x < xmax; x++) {
                    double w = filter.weight((x + xmin - center + 0.5) / filterScale);
                    k[x] = w;
                    sum += w;
                }
                for (int x = 0; x < xmax; x++) {
                    double w = sum != 0.0 ? k[x] / sum : k[x];
                    // Round half away from zero into 22-bit fixed point, exactly like normalize_coeffs_8bpc.
                    double scaled = w * (1 << PRECISION_BITS);
                    weights[xx * ksize + x] = (int) (w < 0 ? scaled - 0.5 : scaled + 0.5);
                }
                first[xx] = xmin;
                count[xx] = Math.max(0, xmax);
            }
            return new Coefficients(ksize, first, count, weights);
        }
    }

    private static RgbImage horizontal(RgbImage src, int outWidth, Coefficients c) {
        int h = src.height();
        int inW = src.width();
        byte[] in = src.data();
        byte[] out = new byte[3 * outWidth * h];
        for (int y = 0; y < h; y++) {
            int rowIn = y * inW * 3;
            int o = y * outWidth * 3;
            for (int xx = 0; xx < outWidth; xx++, o += 3) {
                int kOff = xx * c.ksize();
                int base = rowIn + c.first()[xx] * 3;
                int r = 1 << (PRECISION_BITS - 1);
                int g = r;
                int b = r;
                for (int x = 0, n = c.count()[xx]; x < n; x++) {
                    int w = c.weights()[kOff + x];
                    int p = base + x * 3;
                    r += (in[p] & 0xFF) * w;
                    g += (in[p + 1] & 0xFF) * w;
                    b += (in[p + 2] & 0xFF) * w;
                }
                out[o] = clip8(r);
                out[o + 1] = clip8(g);
                out[o + 2] = clip8(b);
            }
        }
        return new RgbImage(outWidth, h, out);
    }

    private static RgbImage vertical(RgbImage src, int outHeight, Coefficients c) {
        int w = src.width();
        int stride = w * 3;
        byte[] in = src.data();
        byte[] out = new byte[stride * outHeight];
        int[] acc = new int[stride];
        for (int yy = 0; yy < outHeight; yy++) {
            java.util.Arrays.fill(acc, 1 << (PRECISION_BITS - 1));
            int kOff = yy * c.ksize();
            int y0 = c.first()[yy];
            // Row-wise accumulation visits memory sequentially; the sums are the same as Pillow's per pixel.
            for (int y = 0, n = c.count()[yy]; y < n; y++) {
                int weight = c.weights()[kOff + y];
                int rowIn = (y0 + y) * stride;
                for (int i = 0; i < stride; i++) {
                    acc[i] += (in[rowIn + i] & 0xFF) * weight;
                }
            }
            int o = yy * stride;
            for (int i = 0; i < stride; i++) {
                out[o + i] = clip8(acc[i]);
            }
        }
        return new RgbImage(w, outHeight, out);
    }

    /** Fixed point back to uint8 with clamping: bicubic and lanczos overshoot below 0 and above 255. */
    static byte clip8(int v) {
        if (v <= 0) {
            return 0;
        }
        if (v >= (256 << PRECISION_BITS)) {
            return (byte) 255;
        }
        return (byte) (v >> PRECISION_BITS);
    }

    /**
     * Pillow maps NEAREST resizes to an affine transform whose source coordinate is accumulated step by
     * step from half a pixel in, then truncated; accumulating (rather than multiplying) matches its choice
     * of source pixel at exact ties.
     */
    private static RgbImage nearest(RgbImage src, int outWidth, int outHeight) {
        int[] xs = nearestIndices(src.width(), outWidth);
        int[] ys = nearestIndices(src.height(), outHeight);
        byte[] in = src.data();
        byte[] out = new byte[3 * outWidth * outHeight];
        int o = 0;
        for (int y = 0; y < outHeight; y++) {
            int row = ys[y] * src.width();
            for (int x = 0; x < outWidth; x++, o += 3) {
                int p = (row + xs[x]) * 3;
                out[o] = in[p];
                out[o + 1] = in[p + 1];
                out[o + 2] = in[p + 2];
            }
        }
        return new RgbImage(outWidth, outHeight, out);
    }

    static int[] nearestIndices(int inSize, int outSize) {
        double step = (double) inSize / outSize;
        double pos = step * 0.5;
        int[] idx = new int[outSize];
        for (int i = 0; i < outSize; i++) {
            idx[i] = Math.min(inSize - 1, Math.max(0, (int) pos));
            pos += step;
        }
        return idx;
    }
}
