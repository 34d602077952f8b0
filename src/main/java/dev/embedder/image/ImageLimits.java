package dev.embedder.image;

/**
 * Size limits enforced before an image is decoded, so hostile input is refused cheaply.
 *
 * @param maxEncodedBytes largest accepted encoded (compressed) image, checked before any parsing
 * @param maxPixels largest accepted width x height, read from the header before the raster is decoded:
 *     a few kilobytes of PNG or GIF can declare gigapixels (a decompression bomb), and decoding allocates
 *     width x height x 4 bytes or more
 */
public record ImageLimits(long maxEncodedBytes, long maxPixels) {
    /** 20 MiB: above typical camera JPEGs, far below what would strain a request body. */
    public static final long DEFAULT_MAX_ENCODED_BYTES = 20L * 1024 * 1024;
    /** 40 megapixels: above current phone cameras; decoding one costs roughly 300 MB of transient heap. */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

    public static final ImageLimits DEFAULTS = new ImageLimits(DEFAULT_MAX_ENCODED_BYTES, DEFAULT_MAX_PIXELS);

    public ImageLimits {
        if (maxEncodedBytes <= 0) {
            throw new IllegalArgumentException("maxEncodedBytes must be positive, got " + maxEncodedBytes);
        }
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
        }
    }
}
