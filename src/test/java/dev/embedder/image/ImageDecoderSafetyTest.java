package dev.embedder.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.error.InputTooLargeException;
import dev.embedder.error.InvalidInputException;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hostile and broken input: every case must end in one of our two exceptions with a useful message. */
class ImageDecoderSafetyTest {
    private final ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULTS);

    private static byte[] golden(String name) throws Exception {
        return Files.readAllBytes(PillowGoldenTest.resource(name));
    }

    private InvalidInputException invalid(byte[] bytes) {
        return assertThrows(InvalidInputException.class, () -> decoder.decode(bytes));
    }

    @Test
    void emptyBytes() {
        assertTrue(invalid(new byte[0]).getMessage().contains("empty"));
        assertTrue(assertThrows(InvalidInputException.class, () -> decoder.decode(null)).getMessage().contains("empty"));
    }

    @Test
    void randomBytesAreNotAnImage() {
        byte[] noise = new byte[2048];
        new Random(42).nextBytes(noise);
        assertTrue(invalid(noise).getMessage().contains("not a supported image"));
        // Bytes that a signature-less reader (WBMP) would accept must still be refused.
        assertTrue(invalid(new byte[] {0, 0, 4, 4, 0, 0, 0, 0}).getMessage().contains("not a supported image"));
    }

    @Test
    void formatsOutsideTheAllowListAreRefused() {
        byte[] tiff = CraftedImages.encode(CraftedImages.solid(4, 4, 0x336699), "tiff");
        assertTrue(invalid(tiff).getMessage().contains("not a supported image"));
    }

    @Test
    void truncatedJpegIsRefusedNotPaddedWithGray() throws Exception {
        for (String name : new String[] {"exif6_120x80.jpg", "progressive_130x90.jpg", "cmyk_96x64.jpg"}) {
            byte[] full = golden(name);
            String msg = invalid(Arrays.copyOf(full, full.length * 6 / 10)).getMessage();
            assertTrue(msg.startsWith("image is truncated or corrupt (JPEG)"), name + ": " + msg);
        }
    }

    @Test
    void jpegMissingOnlyItsEndMarkerIsRefused() throws Exception {
        byte[] full = golden("exif6_120x80.jpg");
        String msg = invalid(Arrays.copyOf(full, full.length - 2)).getMessage();
        assertTrue(msg.contains("(JPEG)"), msg);
    }

    @Test
    void truncatedPngIsRefused() throws Exception {
        byte[] full = golden("rgb_157x113.png");
        assertEquals("image is truncated or corrupt (PNG)", invalid(Arrays.copyOf(full, full.length / 2)).getMessage());
        // A complete header with too little pixel data is the same failure.
        assertEquals("image is truncated or corrupt (PNG)", invalid(CraftedImages.pngWithHeader(100, 100)).getMessage());
    }

    @Test
    void truncatedGifBmpAndWebpAreRefused() throws Exception {
        byte[] gif = golden("animated_70x50.gif");
        assertTrue(invalid(Arrays.copyOf(gif, gif.length / 4)).getMessage().contains("(GIF)"));
        byte[] bmp = golden("rgb_75x45.bmp");
        assertTrue(invalid(Arrays.copyOf(bmp, bmp.length - 1)).getMessage().contains("(BMP)"));
        for (String name : new String[] {"lossless_66x44.webp", "lossy_66x44.webp"}) {
            byte[] webp = golden(name);
            // The lossless decoder reads missing data as zeros silently; the RIFF length check catches it.
            assertTrue(invalid(Arrays.copyOf(webp, webp.length * 7 / 10)).getMessage().contains("(WebP)"), name);
        }
    }

    @Test
    void decompressionBombsAreRefusedFromTheHeader() {
        byte[] png = CraftedImages.pngWithHeader(100_000, 100_000);
        assertTrue(png.length < 1000, "the bomb itself is tiny");
        InputTooLargeException e = assertThrows(InputTooLargeException.class, () -> decoder.decode(png));
        assertTrue(e.getMessage().contains("100000x100000"), e.getMessage());
        assertTrue(e.getMessage().contains("40000000"), e.getMessage());

        byte[] gif = CraftedImages.gifWithHeader(65_535, 65_535);
        InputTooLargeException g = assertThrows(InputTooLargeException.class, () -> decoder.decode(gif));
        assertTrue(g.getMessage().contains("65535x65535"), g.getMessage());
    }

    @Test
    void pixelLimitIsConfigurable() {
        ImageDecoder strict = new ImageDecoder(new ImageLimits(ImageLimits.DEFAULT_MAX_ENCODED_BYTES, 399));
        byte[] png = CraftedImages.encode(CraftedImages.solid(20, 20, 0x102030), "png");
        InputTooLargeException e = assertThrows(InputTooLargeException.class, () -> strict.decode(png));
        assertEquals("image is 20x20 = 400 pixels, over the limit of 399 pixels", e.getMessage());
        assertEquals(20, new ImageDecoder(new ImageLimits(1 << 20, 400)).decode(png).getWidth());
    }

    @Test
    void encodedSizeIsCheckedBeforeAnythingElse() {
        ImageDecoder small = new ImageDecoder(new ImageLimits(100, ImageLimits.DEFAULT_MAX_PIXELS));
        // Not even an image: the byte limit must answer before format detection does.
        InputTooLargeException e = assertThrows(InputTooLargeException.class, () -> small.decode(new byte[101]));
        assertEquals("image is 101 bytes, over the limit of 100 bytes", e.getMessage());
    }

    @Test
    void zeroSizeImagesAreRefused() {
        InvalidInputException gif = invalid(CraftedImages.gifWithHeader(0, 0));
        assertTrue(gif.getMessage().contains("zero size"), gif.getMessage());
        // The JDK PNG reader rejects a zero width while parsing IHDR, before we can ask for it.
        assertTrue(invalid(CraftedImages.pngWithHeader(0, 10)).getMessage().contains("(PNG)"));
    }

    @Test
    void onePixelImageWorks() {
        for (String format : new String[] {"png", "jpeg", "bmp", "gif"}) {
            BufferedImage img = decoder.decode(CraftedImages.encode(CraftedImages.solid(1, 1, 0x808080), format));
            assertEquals(1, img.getWidth(), format);
            assertEquals(1, img.getHeight(), format);
        }
    }

    @Test
    void animatedGifGivesItsFirstFrame() throws Exception {
        BufferedImage first = decoder.decode(golden("animated_70x50.gif"));
        assertEquals(70, first.getWidth());
        // Frame 2 is the negative of frame 1; frame 1 starts with full green (cos 0) in the top-left corner.
        int green = (first.getRGB(0, 0) >> 8) & 0xFF;
        assertTrue(green > 200, "green " + green + " means a later frame was decoded");
    }

    @Test
    void decodedImagesAreIntRgb() throws Exception {
        assertEquals(BufferedImage.TYPE_INT_RGB, decoder.decode(golden("rgba_100x80.png")).getType());
        assertEquals(BufferedImage.TYPE_INT_RGB, decoder.decode(golden("cmyk_96x64.jpg")).getType());
    }

    @Test
    void exifOrientationIsApplied() throws Exception {
        BufferedImage img = decoder.decode(golden("exif6_120x80.jpg"));
        assertEquals(80, img.getWidth());
        assertEquals(120, img.getHeight());
    }
}
