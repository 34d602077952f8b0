package dev.embedder.image;

/**
 * Resampling filters, numbered as Pillow's {@code Image.Resampling} enum because that number is what
 * {@code preprocessor_config.json} stores in {@code resample}. Kernels and supports are the ones Pillow's
 * Resample.c uses, so that our resized pixels round the same way as the Pillow images HF processors resize.
 */
public enum Resample {
    NEAREST(0, 0.0),
    LANCZOS(1, 3.0),
    BILINEAR(2, 1.0),
    BICUBIC(3, 2.0),
    BOX(4, 0.5),
    HAMMING(5, 1.0);

    /** Pillow's bicubic uses a = -0.5 (not the -0.75 some other libraries use); the difference is visible. */
    private static final double CUBIC_A = -0.5;

    private final int pilCode;
    private final double support;

    Resample(int pilCode, double support) {
        this.pilCode = pilCode;
        this.support = support;
    }

    public int pilCode() {
        return pilCode;
    }

    /** Half-width of the kernel at scale 1; multiplied by the downscale factor to antialias. */
    double support() {
        return support;
    }

    /** Looks up a filter by the integer HF writes into the config; unknown codes are a config error. */
    public static Resample fromPilCode(int code) {
        for (Resample r : values()) {
            if (r.pilCode == code) {
                return r;
            }
        }
        throw new IllegalArgumentException("resample: unsupported PIL filter code " + code
                + " (expected 0 nearest, 1 lanczos, 2 bilinear, 3 bicubic, 4 box, 5 hamming)");
    }

    /** Kernel weight at distance {@code x} (in source pixels, already divided by the filter scale). */
    double weight(double x) {
        switch (this) {
            case BOX:
                // Half-open interval, as in Pillow, so that exactly one source pixel wins at a tie.
                return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
            case BILINEAR: {
                double ax = Math.abs(x);
                return ax < 1.0 ? 1.0 - ax : 0.0;
            }
            case HAMMING: {
                double ax = Math.abs(x);
                if (ax == 0.0) {
                    return 1.0;
                }
                if (ax >= 1.0) {
                    return 0.0;
                }
                double px = ax * Math.PI;
                return Math.sin(px) / px * (0.54 + 0.46 * Math.cos(px));
            }
            case BICUBIC: {
                double ax = Math.abs(x);
                if (ax < 1.0) {
                    return ((CUBIC_A + 2.0) * ax - (CUBIC_A + 3.0)) * ax * ax + 1.0;
                }
                if (ax < 2.0) {
                    return (((ax - 5.0) * ax + 8.0) * ax - 4.0) * CUBIC_A;
                }
                return 0.0;
            }
            case LANCZOS:
                return x >= -3.0 && x < 3.0 ? sinc(x) * sinc(x / 3.0) : 0.0;
            default:
                throw new IllegalStateException("nearest has no convolution kernel");
        }
    }

    private static double sinc(double x) {
        if (x == 0.0) {
            return 1.0;
        }
        double px = x * Math.PI;
        return Math.sin(px) / px;
    }
}
