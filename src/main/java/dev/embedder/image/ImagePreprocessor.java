package dev.embedder.image;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * The image half of a vision model's input: encoded bytes to the {@code pixel_values} tensor, channel-first
 * float [3, height, width], computed like HF's ViT/CLIP/BiT image processors.
 *
 * <p>Steps, in HF's order: decode and convert to RGB ({@link ImageDecoder}), resize with Pillow's
 * resampling on uint8 pixels ({@link PillowResize}), center crop ({@link CenterCrop}), then
 * {@code (pixel * rescale_factor - mean) / std} per channel.
 *
 * <p>Immutable after construction and therefore safe to share between request threads.
 */
public final class ImagePreprocessor {
    private final ImageProcessorConfig config;
    private final ImageDecoder decoder;
    private final Dimensions output;
    /** Per channel, the final float for each of the 256 possible uint8 inputs: normalisation is a lookup. */
    private final float[][] lookup;

    public ImagePreprocessor(ImageProcessorConfig config, ImageLimits limits) {
        this.config = Objects.requireNonNull(config, "config");
        this.decoder = new ImageDecoder(Objects.requireNonNull(limits, "limits"));
        this.output = fixedOutput(config);
        this.lookup = buildLookup(config);
    }

    /** Height of every tensor this preprocessor produces. */
    public int height() {
        return output.height();
    }

    /** Width of every tensor this preprocessor produces. */
    public int width() {
        return output.width();
    }

    /**
     * Decodes and preprocesses one encoded image (EXIF orientation applied for JPEG).
     *
     * @return CHW floats, length {@code 3 * height() * width()}
     * @throws dev.embedder.error.InvalidInputException not a supported image, corrupt, truncated, zero-size
     * @throws dev.embedder.error.InputTooLargeException over the byte or pixel limit
     */
    public float[] preprocess(byte[] encoded) {
        long start = System.nanoTime();
        RgbImage decoded = decoder.decodeRgb(encoded);
        dev.embedder.observability.Stages.imageDecoded(encoded.length, System.nanoTime() - start);
        return run(decoded);
    }

    /** Preprocesses an already decoded image, as stored (no EXIF handling: there is no metadata here). */
    public float[] preprocess(BufferedImage image) {
        Objects.requireNonNull(image, "image");
        return run(RgbConverter.toRgb(image));
    }

    private float[] run(RgbImage rgb) {
        RgbImage img = rgb;
        if (config.doResize()) {
            int[] hw = config.size() instanceof ResizeTarget.ShortestEdge s
                    ? OutputSize.forShortestEdge(img.height(), img.width(), s.edge())
                    : new int[] {((Dimensions) config.size()).height(), ((Dimensions) config.size()).width()};
            img = PillowResize.resize(img, hw[1], hw[0], config.resample());
        }
        if (config.doCenterCrop()) {
            img = CenterCrop.crop(img, config.cropSize().height(), config.cropSize().width());
        }
        if (img.height() != output.height() || img.width() != output.width()) {
            // Cannot happen for configs accepted by fixedOutput; kept as a guard against future edits.
            throw new IllegalStateException("pipeline produced " + img.width() + "x" + img.height());
        }
        return toChw(img);
    }

    private float[] toChw(RgbImage img) {
        int plane = img.width() * img.height();
        byte[] px = img.data();
        float[] out = new float[3 * plane];
        float[] r = lookup[0];
        float[] g = lookup[1];
        float[] b = lookup[2];
        for (int i = 0, p = 0; i < plane; i++, p += 3) {
            out[i] = r[px[p] & 0xFF];
            out[plane + i] = g[px[p + 1] & 0xFF];
            out[2 * plane + i] = b[px[p + 2] & 0xFF];
        }
        return out;
    }

    private static float[][] buildLookup(ImageProcessorConfig c) {
        float[][] table = new float[3][256];
        for (int ch = 0; ch < 3; ch++) {
            for (int v = 0; v < 256; v++) {
                // transformers' numpy path rescales in float64, stores float32, then normalises in float32;
                // doing the same keeps us within float32 rounding of its output.
                float x = c.doRescale() ? (float) (v * c.rescaleFactor()) : v;
                if (c.doNormalize()) {
                    x = (x - (float) (double) c.imageMean().get(ch)) / (float) (double) c.imageStd().get(ch);
                }
                table[ch][v] = x;
            }
        }
        return table;
    }

    /**
     * A model takes one input shape, so the configuration must produce the same size for every image:
     * either a center crop or an exact resize as the last geometric step.
     */
    private static Dimensions fixedOutput(ImageProcessorConfig c) {
        if (c.doCenterCrop()) {
            return c.cropSize();
        }
        if (c.doResize() && c.size() instanceof Dimensions d) {
            return d;
        }
        throw new IllegalArgumentException("the config gives an image-dependent output size: "
                + "it needs do_center_crop with crop_size, or do_resize with size {height, width}");
    }
}
