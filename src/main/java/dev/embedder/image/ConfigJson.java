package dev.embedder.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads preprocessor_config.json into {@link ImageProcessorConfig}, resolving HF's shorthand forms.
 *
 * <p>Read through a JSON tree rather than data binding because several fields are polymorphic in the
 * wild: {@code size} is an object in current files but a bare int in older ones, and means a different
 * thing per processor class (see {@link #SHORTEST_EDGE_TYPES}); {@code image_mean} may be one number.
 */
final class ConfigJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Processor classes whose bare-int {@code size} means "shortest edge" ({@code default_to_square=False}
     * in transformers); every other class treats a bare int as a square, transformers' default.
     */
    private static final Set<String> SHORTEST_EDGE_TYPES = Set.of(
            "CLIPImageProcessor", "ChineseCLIPImageProcessor", "BitImageProcessor");

    /** HF's default rescale factor, used when a config enables rescaling without stating the factor. */
    private static final double DEFAULT_RESCALE = 1.0 / 255.0;

    private ConfigJson() {
    }

    static ImageProcessorConfig parse(InputStream in) throws IOException {
        JsonNode root = MAPPER.readTree(in);
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("preprocessor_config.json must be a JSON object");
        }
        refuseUnsupported(root);
        String type = text(root, "image_processor_type");
        if (type == null) {
            type = text(root, "feature_extractor_type");
        }
        boolean squareByDefault = !SHORTEST_EDGE_TYPES.contains(canonicalType(type));

        JsonNode sizeNode = present(root, "size");
        boolean doResize = bool(root, "do_resize", sizeNode != null);
        ResizeTarget size = doResize ? size(sizeNode, squareByDefault) : null;
        Resample resample = null;
        if (doResize) {
            JsonNode r = present(root, "resample");
            if (r == null) {
                throw new IllegalArgumentException("resample is required when do_resize is true");
            }
            if (!r.canConvertToExactIntegral()) {
                throw new IllegalArgumentException("resample must be an integer PIL filter code, got " + r);
            }
            resample = Resample.fromPilCode(r.asInt());
        }

        JsonNode cropNode = present(root, "crop_size");
        boolean doCenterCrop = bool(root, "do_center_crop", cropNode != null);
        Dimensions crop = null;
        if (doCenterCrop) {
            if (cropNode == null) {
                throw new IllegalArgumentException("crop_size is required when do_center_crop is true");
            }
            crop = cropNode.isObject() ? dims(cropNode, "crop_size") : square(cropNode, "crop_size");
        }

        boolean doRescale = bool(root, "do_rescale", true);
        JsonNode factor = present(root, "rescale_factor");
        double rescale = factor == null ? DEFAULT_RESCALE : number(factor, "rescale_factor");

        JsonNode meanNode = present(root, "image_mean");
        boolean doNormalize = bool(root, "do_normalize", meanNode != null);
        List<Double> mean = doNormalize ? channels(meanNode, "image_mean") : null;
        List<Double> std = doNormalize ? channels(present(root, "image_std"), "image_std") : null;

        return new ImageProcessorConfig(type, bool(root, "do_convert_rgb", true), doResize, size, resample,
                doCenterCrop, crop, doRescale, rescale, doNormalize, mean, std);
    }

    /** "CLIPImageProcessorFast" and the legacy "CLIPFeatureExtractor" behave like "CLIPImageProcessor". */
    static String canonicalType(String type) {
        if (type == null) {
            return "";
        }
        String t = type.endsWith("Fast") ? type.substring(0, type.length() - 4) : type;
        return t.endsWith("FeatureExtractor")
                ? t.substring(0, t.length() - "FeatureExtractor".length()) + "ImageProcessor" : t;
    }

    private static void refuseUnsupported(JsonNode root) {
        if (present(root, "crop_pct") != null) {
            throw new IllegalArgumentException("crop_pct is not supported (ConvNeXt-style resize then crop)");
        }
        if (bool(root, "do_pad", false)) {
            throw new IllegalArgumentException("do_pad=true is not supported");
        }
    }

    private static ResizeTarget size(JsonNode node, boolean squareByDefault) {
        if (node == null) {
            throw new IllegalArgumentException("size is required when do_resize is true");
        }
        if (!node.isObject()) {
            int edge = intValue(node, "size");
            return squareByDefault ? square(node, "size") : new ResizeTarget.ShortestEdge(checked("size", edge));
        }
        if (present(node, "longest_edge") != null) {
            throw new IllegalArgumentException("size.longest_edge is not supported");
        }
        JsonNode shortest = present(node, "shortest_edge");
        if (shortest != null) {
            return new ResizeTarget.ShortestEdge(checked("size.shortest_edge", intValue(shortest, "size.shortest_edge")));
        }
        if (present(node, "height") != null || present(node, "width") != null) {
            return dims(node, "size");
        }
        throw new IllegalArgumentException("size must have shortest_edge or height and width, got " + node);
    }

    private static Dimensions dims(JsonNode node, String field) {
        JsonNode h = present(node, "height");
        JsonNode w = present(node, "width");
        if (h == null || w == null) {
            throw new IllegalArgumentException(field + " must have both height and width, got " + node);
        }
        return new Dimensions(checked(field + ".height", intValue(h, field + ".height")),
                checked(field + ".width", intValue(w, field + ".width")));
    }

    private static Dimensions square(JsonNode node, String field) {
        int edge = checked(field, intValue(node, field));
        return new Dimensions(edge, edge);
    }

    private static int checked(String field, int edge) {
        Dimensions.checkEdge(field, edge);
        return edge;
    }

    private static List<Double> channels(JsonNode node, String field) {
        if (node == null) {
            throw new IllegalArgumentException(field + " is required when do_normalize is true");
        }
        if (node.isNumber()) {
            // transformers accepts one float and broadcasts it to every channel.
            double v = node.asDouble();
            return List.of(v, v, v);
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(field + " must be a number or an array of 3 numbers, got " + node);
        }
        List<Double> values = new ArrayList<>();
        for (JsonNode v : node) {
            values.add(number(v, field));
        }
        return values;
    }

    private static JsonNode present(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    private static boolean bool(JsonNode root, String field, boolean fallback) {
        JsonNode v = present(root, field);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(field + " must be true or false, got " + v);
        }
        return v.asBoolean();
    }

    private static String text(JsonNode root, String field) {
        JsonNode v = present(root, field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static int intValue(JsonNode v, String field) {
        if (!v.canConvertToExactIntegral() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(field + " must be an integer, got " + v);
        }
        return v.asInt();
    }

    private static double number(JsonNode v, String field) {
        if (!v.isNumber()) {
            throw new IllegalArgumentException(field + " must be numeric, got " + v);
        }
        return v.asDouble();
    }
}
