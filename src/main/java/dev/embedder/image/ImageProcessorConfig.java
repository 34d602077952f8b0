package dev.embedder.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The subset of a Hugging Face {@code preprocessor_config.json} that ViT, CLIP and BiT image processors
 * act on. Every model fact (sizes, filter, mean, std) comes from the file; nothing is assumed per model.
 *
 * <p>Validation happens here, once, when the model loads, so a bad config fails loudly at start-up with
 * the field named instead of producing wrong vectors per request. Fields the pipeline does not need are
 * ignored; fields that would change the result in ways we do not implement ({@code crop_pct},
 * {@code do_pad}, {@code size.longest_edge}) are refused rather than ignored.
 *
 * @param processorType {@code image_processor_type} (or legacy {@code feature_extractor_type}), may be null
 * @param doConvertRgb recorded for completeness; the pipeline always produces RGB because a 3-channel
 *     model cannot consume anything else (for RGB sources the flag makes no difference)
 * @param size null when {@code doResize} is false
 * @param resample null when {@code doResize} is false
 * @param cropSize null when {@code doCenterCrop} is false
 * @param imageMean three per-channel means (R, G, B), applied after rescaling
 * @param imageStd three per-channel standard deviations, all positive
 */
public record ImageProcessorConfig(
        String processorType,
        boolean doConvertRgb,
        boolean doResize,
        ResizeTarget size,
        Resample resample,
        boolean doCenterCrop,
        Dimensions cropSize,
        boolean doRescale,
        double rescaleFactor,
        boolean doNormalize,
        List<Double> imageMean,
        List<Double> imageStd) {

    public ImageProcessorConfig {
        if (doResize && size == null) {
            throw new IllegalArgumentException("size is required when do_resize is true");
        }
        if (doResize && resample == null) {
            throw new IllegalArgumentException("resample is required when do_resize is true");
        }
        if (doCenterCrop && cropSize == null) {
            throw new IllegalArgumentException("crop_size is required when do_center_crop is true");
        }
        if (doRescale && !(rescaleFactor > 0 && Double.isFinite(rescaleFactor))) {
            throw new IllegalArgumentException("rescale_factor must be a positive number, got " + rescaleFactor);
        }
        imageMean = checkChannels("image_mean", imageMean, doNormalize, false);
        imageStd = checkChannels("image_std", imageStd, doNormalize, true);
    }

    /** Parses and validates a preprocessor_config.json; {@link IllegalArgumentException} names the bad field. */
    public static ImageProcessorConfig parse(InputStream json) {
        try {
            return ConfigJson.parse(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("preprocessor_config.json is not valid JSON: " + e.getMessage(), e);
        }
    }

    public static ImageProcessorConfig read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static List<Double> checkChannels(String field, List<Double> values, boolean required, boolean positive) {
        if (values == null) {
            if (required) {
                throw new IllegalArgumentException(field + " is required when do_normalize is true");
            }
            return null;
        }
        if (values.size() != 3) {
            throw new IllegalArgumentException(field + " must have 3 values (R, G, B), got " + values.size());
        }
        for (Double v : values) {
            if (v == null || !Double.isFinite(v) || (positive && v <= 0)) {
                throw new IllegalArgumentException(field + " must hold " + (positive ? "positive " : "")
                        + "finite numbers, got " + values);
            }
        }
        return List.copyOf(values);
    }
}
