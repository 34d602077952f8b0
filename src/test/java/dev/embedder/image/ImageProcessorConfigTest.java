package dev.embedder.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.testing.VisionFixtures;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageProcessorConfigTest {
    private static final String CLIP = """
            {"crop_size": {"height": 224, "width": 224}, "do_center_crop": true, "do_convert_rgb": true,
             "do_normalize": true, "do_rescale": true, "do_resize": true,
             "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_processor_type": "CLIPImageProcessor",
             "image_std": [0.26862954, 0.26130258, 0.27577711], "resample": 3,
             "rescale_factor": 0.00392156862745098, "size": {"shortest_edge": 224}, "some_future_field": [1, 2]}
            """;

    static ImageProcessorConfig parse(String json) {
        return ImageProcessorConfig.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static String fieldInError(String json) {
        return assertThrows(IllegalArgumentException.class, () -> parse(json)).getMessage();
    }

    @Test
    void parsesClipStyleConfigAndIgnoresUnknownFields() {
        ImageProcessorConfig c = parse(CLIP);
        assertEquals(new ResizeTarget.ShortestEdge(224), c.size());
        assertEquals(Resample.BICUBIC, c.resample());
        assertEquals(new Dimensions(224, 224), c.cropSize());
        assertEquals(List.of(0.48145466, 0.4578275, 0.40821073), c.imageMean());
        assertEquals(1.0 / 255, c.rescaleFactor(), 1e-15);
        assertTrue(c.doCenterCrop());
    }

    @Test
    void parsesSharedFixtureConfigs() {
        for (String model : new String[] {"tiny-vit", "tiny-clip-vision", "tiny-dinov2"}) {
            ImageProcessorConfig c = ImageProcessorConfig.read(
                    VisionFixtures.dir().resolve("models").resolve(model).resolve("preprocessor_config.json"));
            ImagePreprocessor p = new ImagePreprocessor(c, ImageLimits.DEFAULTS);
            assertEquals(224, p.height(), model);
            assertEquals(224, p.width(), model);
        }
    }

    @Test
    void legacyIntegerSizeFollowsTheProcessorClass() {
        // Old CLIP exports: "size": 224 means shortest edge for CLIP, a square for ViT (transformers' default).
        ImageProcessorConfig clip = parse("""
                {"feature_extractor_type": "CLIPFeatureExtractor", "size": 224, "crop_size": 224, "do_center_crop": true,
                 "resample": 3, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]}""");
        assertEquals(new ResizeTarget.ShortestEdge(224), clip.size());
        assertEquals(new Dimensions(224, 224), clip.cropSize());
        ImageProcessorConfig vit = parse("""
                {"image_processor_type": "ViTImageProcessorFast", "size": 384, "resample": 2,
                 "image_mean": 0.5, "image_std": 0.5}""");
        assertEquals(new Dimensions(384, 384), vit.size());
        assertEquals(List.of(0.5, 0.5, 0.5), vit.imageStd());
        assertFalse(vit.doCenterCrop());
    }

    @Test
    void badFieldsAreNamed() {
        assertTrue(fieldInError(CLIP.replace("\"resample\": 3", "\"resample\": 9")).startsWith("resample"));
        assertTrue(fieldInError(CLIP.replace("\"resample\": 3,", "")).startsWith("resample"));
        assertTrue(fieldInError(CLIP.replace("[0.48145466, 0.4578275, 0.40821073]", "[0.5, 0.5]"))
                .startsWith("image_mean"));
        assertTrue(fieldInError(CLIP.replace("0.26130258", "0")).startsWith("image_std"));
        assertTrue(fieldInError(CLIP.replace("0.26130258", "\"x\"")).startsWith("image_std"));
        assertTrue(fieldInError(CLIP.replace("\"shortest_edge\": 224", "\"shortest_edge\": 0"))
                .startsWith("size.shortest_edge"));
        assertTrue(fieldInError(CLIP.replace("\"shortest_edge\": 224", "\"shortest_edge\": 22.5"))
                .startsWith("size.shortest_edge"));
        assertTrue(fieldInError(CLIP.replace("\"shortest_edge\": 224", "\"edge\": 224")).startsWith("size"));
        assertTrue(fieldInError(CLIP.replace("\"crop_size\": {\"height\": 224, \"width\": 224},", ""))
                .startsWith("crop_size"));
        assertTrue(fieldInError(CLIP.replace("\"height\": 224, \"width\": 224", "\"height\": 224"))
                .startsWith("crop_size"));
        assertTrue(fieldInError(CLIP.replace("\"do_resize\": true", "\"do_resize\": \"yes\"")).startsWith("do_resize"));
        assertTrue(fieldInError(CLIP.replace("0.00392156862745098", "-1")).startsWith("rescale_factor"));
        assertTrue(fieldInError(CLIP.replace("\"shortest_edge\": 224", "\"shortest_edge\": 224, \"longest_edge\": 300"))
                .startsWith("size.longest_edge"));
        assertTrue(fieldInError(CLIP.replace("\"do_resize\": true", "\"do_resize\": true, \"crop_pct\": 0.875"))
                .startsWith("crop_pct"));
        assertTrue(fieldInError("[1, 2]").contains("JSON object"));
        assertTrue(fieldInError("{not json").contains("not valid JSON"));
    }

    @Test
    void outputMustNotDependOnTheImage() {
        ImageProcessorConfig noCrop = parse(CLIP.replace("\"do_center_crop\": true", "\"do_center_crop\": false"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ImagePreprocessor(noCrop, ImageLimits.DEFAULTS));
        assertTrue(e.getMessage().contains("image-dependent"), e.getMessage());
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new ImageLimits(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ImageLimits(1, -1));
        assertEquals(20L * 1024 * 1024, ImageLimits.DEFAULTS.maxEncodedBytes());
        assertEquals(40_000_000L, ImageLimits.DEFAULTS.maxPixels());
    }
}
