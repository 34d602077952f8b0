package dev.embedder.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Resize, filter and crop arithmetic on arrays small enough to check by hand. */
class ResizeMathTest {
    /** A width x 1 RGB image whose three channels all hold {@code values}. */
    private static RgbImage row(int... values) {
        byte[] rgb = new byte[values.length * 3];
        for (int i = 0; i < values.length; i++) {
            rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = (byte) values[i];
        }
        return new RgbImage(values.length, 1, rgb);
    }

    private static int[] red(RgbImage img) {
        int[] out = new int[img.width() * img.height()];
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                out[y * img.width() + x] = img.get(x, y, 0);
            }
        }
        return out;
    }

    @Test
    void shortestEdgeTruncatesTheLongEdge() {
        // 224 * 451 / 300 = 336.75 and 256 * 320 / 200 = 409.6: HF truncates, it does not round.
        assertArrayEquals(new int[] {224, 336}, OutputSize.forShortestEdge(300, 451, 224));
        assertArrayEquals(new int[] {256, 409}, OutputSize.forShortestEdge(200, 320, 256));
        assertArrayEquals(new int[] {388, 224}, OutputSize.forShortestEdge(260, 150, 224));
        assertArrayEquals(new int[] {224, 224}, OutputSize.forShortestEdge(7, 7, 224));
        assertArrayEquals(new int[] {224, 224 * 40}, OutputSize.forShortestEdge(1, 40, 224));
    }

    @Test
    void centerCropOffsetsFloorTowardTheTopLeft() {
        assertEquals(92, CenterCrop.offset(409, 224)); // 92.5 floors: one more pixel dropped at the bottom
        assertEquals(16, CenterCrop.offset(256, 224));
        assertEquals(0, CenterCrop.offset(224, 224));
        assertEquals(-1, CenterCrop.offset(10, 12));
        assertEquals(-2, CenterCrop.offset(9, 12)); // -1.5 floors to -2: padding goes mostly on the left
    }

    @Test
    void centerCropCutsAndPadsWithZero() {
        RgbImage src = row(10, 20, 30, 40, 50);
        assertArrayEquals(new int[] {20, 30}, red(CenterCrop.crop(src, 1, 2)));
        assertArrayEquals(new int[] {20, 30, 40}, red(CenterCrop.crop(src, 1, 3)));
        // Offset floor(-1.5) = -2: two zero columns on the left, one on the right (HF's ceil left padding).
        assertArrayEquals(new int[] {0, 0, 10, 20, 30, 40, 50, 0}, red(CenterCrop.crop(src, 1, 8)));
        RgbImage padded = CenterCrop.crop(src, 3, 5);
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 10, 20, 30, 40, 50, 0, 0, 0, 0, 0}, red(padded));
        assertSame(src, CenterCrop.crop(src, 1, 5));
    }

    @Test
    void filterKernelsAreTheOnesPillowUses() {
        assertEquals(1.0, Resample.BICUBIC.weight(0), 0);
        assertEquals(0.0, Resample.BICUBIC.weight(1), 0);
        assertEquals(0.0, Resample.BICUBIC.weight(2), 0);
        assertEquals(-0.0625, Resample.BICUBIC.weight(1.5), 1e-12); // a = -0.5; a = -0.75 would give -0.09375
        assertEquals(0.5625, Resample.BICUBIC.weight(0.5), 1e-12);
        assertEquals(0.25, Resample.BILINEAR.weight(-0.75), 1e-12);
        assertEquals(1.0, Resample.LANCZOS.weight(0), 0);
        assertEquals(0.0, Resample.LANCZOS.weight(3), 0);
        assertEquals(1.0, Resample.BOX.weight(0.5), 0);
        assertEquals(0.0, Resample.BOX.weight(-0.5), 0);
        assertEquals(Resample.BILINEAR, Resample.fromPilCode(2));
        assertThrows(IllegalArgumentException.class, () -> Resample.fromPilCode(6));
    }

    @Test
    void halvingMatchesPillow() {
        // Expected values were produced by Pillow's Image.resize on the same arrays.
        // Bilinear 2 -> 1 weighs both pixels 0.5: 127.5 rounds up to 128 in Pillow's fixed point.
        assertArrayEquals(new int[] {128}, red(PillowResize.resize(row(0, 255), 1, 1, Resample.BILINEAR)));
        // Shrinking by 2 stretches the bilinear tent to 2 pixels each side: 3 taps, not a 2-pixel average.
        assertArrayEquals(new int[] {17, 33}, red(PillowResize.resize(row(10, 20, 30, 40), 2, 1, Resample.BILINEAR)));
        assertArrayEquals(new int[] {15, 35}, red(PillowResize.resize(row(10, 20, 30, 40), 2, 1, Resample.BOX)));
    }

    @Test
    void bicubicUpscaleMatchesPillow() {
        int[] pillow = {0, 0, 22, 93, 178, 244, 246, 186, 99, 23, 0, 0, 0, 0, 21, 88, 167, 234, 255, 255, 255, 255,
            255, 255};
        assertArrayEquals(pillow, red(PillowResize.resize(row(0, 255, 0, 0, 255, 255), 24, 1, Resample.BICUBIC)));
    }

    @Test
    void downscaleWidensTheKernel() {
        // 6 -> 2 bilinear: support grows from 1 to 3 source pixels, so all six contribute (antialiasing).
        PillowResize.Coefficients c = PillowResize.Coefficients.compute(6, 2, Resample.BILINEAR);
        assertEquals(7, c.ksize());
        assertEquals(0, c.first()[0]);
        assertEquals(5, c.count()[0]); // center 1.5, reach 3: pixels 0..4 (the last with weight 0), as Pillow
        long sum = 0;
        for (int i = 0; i < c.count()[0]; i++) {
            sum += c.weights()[i];
        }
        assertEquals(1 << 22, sum, 2); // normalised weights in 22-bit fixed point
    }

    @Test
    void bicubicOvershootIsClamped() {
        RgbImage up = PillowResize.resize(row(0, 255, 0, 0, 255, 255), 24, 1, Resample.BICUBIC);
        for (int v : red(up)) {
            assertTrue(v >= 0 && v <= 255);
        }
        assertEquals(0, PillowResize.clip8(-5));
        assertEquals(-1, PillowResize.clip8(Integer.MAX_VALUE)); // (byte) 255
    }

    @Test
    void constantImagesStayConstant() {
        for (Resample r : Resample.values()) {
            int[] out = red(PillowResize.resize(row(77, 77, 77, 77, 77), 13, 1, r));
            for (int v : out) {
                assertEquals(77, v, r.name());
            }
        }
    }

    @Test
    void sameSizeIsIdentityAndNearestPicksCenters() {
        RgbImage src = row(1, 2, 3, 4);
        assertSame(src, PillowResize.resize(src, 4, 1, Resample.BICUBIC));
        assertArrayEquals(new int[] {2, 4}, red(PillowResize.resize(src, 2, 1, Resample.NEAREST)));
        assertArrayEquals(new int[] {1, 1, 2, 2, 3, 3, 4, 4}, red(PillowResize.resize(src, 8, 1, Resample.NEAREST)));
        assertArrayEquals(new int[] {0, 2, 4}, PillowResize.nearestIndices(5, 3));
    }

    @Test
    void verticalPassMatchesHorizontal() {
        RgbImage column = new RgbImage(1, 4, row(10, 20, 30, 40).data());
        assertArrayEquals(new int[] {17, 33}, red(PillowResize.resize(column, 1, 2, Resample.BILINEAR)));
    }
}
