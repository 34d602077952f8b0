package dev.embedder.image;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * An 8-bit RGB image as interleaved bytes (R, G, B per pixel, row-major). This is the Java twin of a
 * Pillow "RGB" image: every pipeline step up to rescaling works on uint8 values, because HF resizes a
 * uint8 PIL image and the rounding to uint8 is part of the result we must reproduce.
 */
final class RgbImage {
    private final int width;
    private final int height;
    private final byte[] rgb;

    RgbImage(int width, int height, byte[] rgb) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        Objects.requireNonNull(rgb, "rgb");
        if (rgb.length != 3L * width * height) {
            throw new IllegalArgumentException("rgb length " + rgb.length + " does not match " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.rgb = rgb;
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** The backing array, not a copy: steps hand ownership along the pipeline instead of copying megabytes. */
    byte[] data() {
        return rgb;
    }

    /** Sample value 0..255 of channel {@code c} at ({@code x}, {@code y}). */
    int get(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xFF;
    }

    BufferedImage toBufferedImage() {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            int p = y * width * 3;
            for (int x = 0; x < width; x++, p += 3) {
                row[x] = (rgb[p] & 0xFF) << 16 | (rgb[p + 1] & 0xFF) << 8 | (rgb[p + 2] & 0xFF);
            }
            out.setRGB(0, y, width, 1, row, 0, width);
        }
        return out;
    }
}
