package dev.embedder.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import org.junit.jupiter.api.Test;

/** Pillow's convert("RGB") rules on hand-made BufferedImages. */
class RgbConverterTest {
    private static int[] pixel(RgbImage img, int x, int y) {
        return new int[] {img.get(x, y, 0), img.get(x, y, 1), img.get(x, y, 2)};
    }

    @Test
    void alphaIsDroppedNotComposited() {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x00FF0000); // fully transparent red stays red, as with Pillow
        img.setRGB(1, 0, 0x80102030);
        RgbImage rgb = RgbConverter.toRgb(img);
        assertArrayEquals(new int[] {255, 0, 0}, pixel(rgb, 0, 0));
        assertArrayEquals(new int[] {0x10, 0x20, 0x30}, pixel(rgb, 1, 0));
    }

    @Test
    void grayIsReplicatedAndDeepSamplesKeepTheHighByte() {
        BufferedImage gray16 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        gray16.getRaster().setSample(0, 0, 0, 0xABCD);
        gray16.getRaster().setSample(1, 0, 0, 0x00FF);
        RgbImage rgb = RgbConverter.toRgb(gray16);
        assertArrayEquals(new int[] {0xAB, 0xAB, 0xAB}, pixel(rgb, 0, 0));
        assertArrayEquals(new int[] {0, 0, 0}, pixel(rgb, 1, 0));
    }

    @Test
    void bilevelAndThreeByteBgr() {
        BufferedImage binary = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_BINARY);
        binary.setRGB(1, 0, 0xFFFFFF);
        RgbImage b = RgbConverter.toRgb(binary);
        assertArrayEquals(new int[] {0, 0, 0}, pixel(b, 0, 0));
        assertArrayEquals(new int[] {255, 255, 255}, pixel(b, 1, 0));

        BufferedImage bgr = new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR);
        bgr.setRGB(0, 0, 0x123456);
        assertArrayEquals(new int[] {0x12, 0x34, 0x56}, pixel(RgbConverter.toRgb(bgr), 0, 0));
    }

    @Test
    void premultipliedImagesAreUnpremultiplied() {
        BufferedImage pre = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB_PRE);
        pre.setRGB(0, 0, 0xFF204060);
        assertArrayEquals(new int[] {0x20, 0x40, 0x60}, pixel(RgbConverter.toRgb(pre), 0, 0));
    }

    @Test
    void cmykUsesPillowsFormula() {
        assertEquals(0, RgbConverter.mulDiv255(0, 255));
        assertEquals(255, RgbConverter.mulDiv255(255, 255));
        assertEquals(64, RgbConverter.mulDiv255(128, 128));
        ComponentColorModel cm = new ComponentColorModel(new FakeCmyk(), false, false,
                java.awt.Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        WritableRaster raster = cm.createCompatibleWritableRaster(2, 1);
        raster.setPixel(0, 0, new int[] {0, 0, 0, 0});        // no ink: white
        raster.setPixel(1, 0, new int[] {255, 128, 0, 64});   // full cyan, half magenta, some black
        RgbImage rgb = RgbConverter.toRgb(new BufferedImage(cm, raster, false, null));
        assertArrayEquals(new int[] {255, 255, 255}, pixel(rgb, 0, 0));
        // (255 - C) * (255 - K) / 255 with Pillow's rounding: R 0, G 127*191/255 = 95, B 191.
        assertArrayEquals(new int[] {0, 95, 191}, pixel(rgb, 1, 0));
        // The inverted (Adobe) storage order of the same pixel gives the same colour.
        Raster inverted = invert(raster);
        assertArrayEquals(new int[] {0, 95, 191}, pixel(RgbConverter.fromCmykRaster(inverted, true), 1, 0));
    }

    @Test
    void sampleScaling() {
        assertEquals((byte) 255, RgbConverter.to8(1, 1));
        assertEquals((byte) 0x55, RgbConverter.to8(1, 2));
        assertEquals((byte) 0x11, RgbConverter.to8(1, 4));
        assertEquals((byte) 0xFF, RgbConverter.to8(0xFFFF, 16));
    }

    private static Raster invert(WritableRaster raster) {
        WritableRaster out = raster.createCompatibleWritableRaster();
        int[] px = new int[4];
        for (int x = 0; x < raster.getWidth(); x++) {
            raster.getPixel(x, 0, px);
            for (int i = 0; i < 4; i++) {
                px[i] = 255 - px[i];
            }
            out.setPixel(x, 0, px);
        }
        return out;
    }

    /** A naive CMYK colour space: only its type matters, the converter never calls its conversions. */
    private static final class FakeCmyk extends ColorSpace {
        FakeCmyk() {
            super(ColorSpace.TYPE_CMYK, 4);
        }

        @Override
        public float[] toRGB(float[] v) {
            return new float[] {(1 - v[0]) * (1 - v[3]), (1 - v[1]) * (1 - v[3]), (1 - v[2]) * (1 - v[3])};
        }

        @Override
        public float[] fromRGB(float[] rgb) {
            return new float[] {1 - rgb[0], 1 - rgb[1], 1 - rgb[2], 0};
        }

        @Override
        public float[] toCIEXYZ(float[] v) {
            return ColorSpace.getInstance(ColorSpace.CS_sRGB).toCIEXYZ(toRGB(v));
        }

        @Override
        public float[] fromCIEXYZ(float[] v) {
            return fromRGB(ColorSpace.getInstance(ColorSpace.CS_sRGB).fromCIEXYZ(v));
        }
    }
}
