package dev.embedder.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ImagePreprocessorTest {
    private static final String CONFIG = """
            {"image_processor_type": "CLIPImageProcessor", "do_resize": true, "size": {"shortest_edge": 40},
             "resample": 3, "do_center_crop": true, "crop_size": {"height": 32, "width": 24},
             "do_rescale": true, "rescale_factor": 0.00392156862745098, "do_normalize": true,
             "image_mean": [0.25, 0.5, 0.75], "image_std": [0.5, 0.25, 0.125]}
            """;

    private static ImagePreprocessor preprocessor() {
        return new ImagePreprocessor(ImageProcessorConfigTest.parse(CONFIG), ImageLimits.DEFAULTS);
    }

    @Test
    void onePixelImageFillsTheWholeTensorWithItsNormalisedColour() {
        ImagePreprocessor p = preprocessor();
        float[] out = p.preprocess(CraftedImages.encode(CraftedImages.solid(1, 1, 0x336699), "png"));
        assertEquals(3 * 32 * 24, out.length);
        assertEquals(32, p.height());
        assertEquals(24, p.width());
        double[] expected = {(0x33 / 255.0 - 0.25) / 0.5, (0x66 / 255.0 - 0.5) / 0.25, (0x99 / 255.0 - 0.75) / 0.125};
        int plane = 32 * 24;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                assertEquals(expected[c], out[c * plane + i], 1e-5, "channel " + c);
            }
        }
    }

    @Test
    void bufferedImageAndEncodedPngGiveTheSameTensor() throws Exception {
        ImagePreprocessor p = preprocessor();
        byte[] png = Files.readAllBytes(PillowGoldenTest.resource("rgb_157x113.png"));
        assertArrayEquals(p.preprocess(png), p.preprocess(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png))));
    }

    @Test
    void exifOrientationTagIsReadFromEveryVariant() throws Exception {
        for (int o = 1; o <= 8; o++) {
            byte[] jpeg = Files.readAllBytes(PillowGoldenTest.resource("orient" + o + "_12x8.jpg"));
            assertEquals(o, ExifOrientation.readJpeg(jpeg));
        }
        byte[] plain = CraftedImages.encode(CraftedImages.solid(3, 2, 0), "jpeg");
        assertEquals(ExifOrientation.NORMAL, ExifOrientation.readJpeg(plain));
        assertEquals(ExifOrientation.NORMAL, ExifOrientation.readJpeg(new byte[] {1, 2, 3}));
    }

    @Test
    void orientationTransformsOnATinyImage() {
        // 3x2 image with red = 0..5 in reading order:  0 1 2 / 3 4 5
        byte[] rgb = new byte[18];
        for (int i = 0; i < 6; i++) {
            rgb[3 * i] = (byte) i;
        }
        RgbImage src = new RgbImage(3, 2, rgb);
        assertArrayEquals(new int[] {2, 1, 0, 5, 4, 3}, reds(ExifOrientation.apply(src, 2)));
        assertArrayEquals(new int[] {5, 4, 3, 2, 1, 0}, reds(ExifOrientation.apply(src, 3)));
        assertArrayEquals(new int[] {3, 0, 4, 1, 5, 2}, reds(ExifOrientation.apply(src, 6))); // 90 clockwise
        assertArrayEquals(new int[] {2, 5, 1, 4, 0, 3}, reds(ExifOrientation.apply(src, 8))); // 90 counter-clockwise
        assertEquals(2, ExifOrientation.apply(src, 6).width());
    }

    @Test
    void concurrentCallsGiveTheSequentialResults() throws Exception {
        ImagePreprocessor p = preprocessor();
        String[] names = {"rgb_157x113.png", "exif6_120x80.jpg", "cmyk_96x64.jpg", "lossy_66x44.webp", "palette_80x60.png"};
        List<byte[]> inputs = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (String n : names) {
            byte[] b = Files.readAllBytes(PillowGoldenTest.resource(n));
            inputs.add(b);
            expected.add(p.preprocess(b));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                byte[] b = inputs.get(i % names.length);
                futures.add(pool.submit(() -> p.preprocess(b)));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertArrayEquals(expected.get(i % names.length), futures.get(i).get(), names[i % names.length]);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static int[] reds(RgbImage img) {
        int[] out = new int[img.width() * img.height()];
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                out[y * img.width() + x] = img.get(x, y, 0);
            }
        }
        return out;
    }
}
