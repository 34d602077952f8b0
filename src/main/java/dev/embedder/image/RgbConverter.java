package dev.embedder.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Converts any decoded {@link BufferedImage} to 8-bit RGB the way Pillow's {@code Image.convert("RGB")}
 * does, which is what HF's {@code do_convert_rgb} calls.
 *
 * <p>Pillow works on raw sample values and never applies colour management, so neither do we: samples
 * are read from the raster directly instead of through {@link BufferedImage#getRGB}, which would convert
 * through an embedded ICC profile and shift colours away from what the model saw in training.
 * <ul>
 *   <li>Alpha is discarded, not composited: Pillow's RGBA/LA/PA to RGB conversion simply drops it, so a
 *       fully transparent pixel keeps whatever colour it stores.</li>
 *   <li>Palette images look up the palette colour (transparency is ignored, as in Pillow).</li>
 *   <li>Gray is replicated to three channels; 1/2/4-bit samples are stretched to 0..255.</li>
 *   <li>CMYK uses Pillow's naive formula {@code (255 - C) * (255 - K) / 255}.</li>
 *   <li>16-bit samples keep their high byte, as Pillow does for 16-bit RGB PNGs. Deliberate deviation:
 *       Pillow clamps 16-bit <em>grayscale</em> to 255 instead (its I;16 to RGB conversion saturates
 *       almost every pixel to white); we keep the high byte there too, because reproducing that would
 *       make such images useless.</li>
 * </ul>
 */
final class RgbConverter {
    private RgbConverter() {
    }

    static RgbImage toRgb(BufferedImage image) {
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        int type = raster.getDataBuffer().getDataType();
        boolean integral = type == DataBuffer.TYPE_BYTE || type == DataBuffer.TYPE_USHORT
                || type == DataBuffer.TYPE_INT || type == DataBuffer.TYPE_SHORT;
        if (cm instanceof IndexColorModel icm && integral) {
            return fromPalette(raster, icm);
        }
        int space = cm.getColorSpace().getType();
        boolean rawUsable = integral && !cm.isAlphaPremultiplied();
        if (rawUsable && space == ColorSpace.TYPE_GRAY) {
            return fromSamples(raster, cm, 1);
        }
        if (rawUsable && space == ColorSpace.TYPE_RGB && cm.getNumColorComponents() == 3) {
            return fromSamples(raster, cm, 3);
        }
        if (rawUsable && space == ColorSpace.TYPE_CMYK && cm.getNumColorComponents() == 4) {
            return fromCmyk(raster, cm, false);
        }
        // Anything exotic (float rasters, premultiplied alpha, YCbCr kept raw): let AWT convert to sRGB.
        return fromArgb(image);
    }

    private static RgbImage fromSamples(Raster raster, ColorModel cm, int colors) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int bands = raster.getNumBands();
        int[] bits = new int[colors];
        for (int c = 0; c < colors; c++) {
            bits[c] = cm.getComponentSize(c);
        }
        byte[] out = new byte[3 * w * h];
        int[] row = new int[w * bands];
        int o = 0;
        for (int y = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, row);
            for (int x = 0, p = 0; x < w; x++, p += bands, o += 3) {
                if (colors == 1) {
                    byte v = to8(row[p], bits[0]);
                    out[o] = v;
                    out[o + 1] = v;
                    out[o + 2] = v;
                } else {
                    out[o] = to8(row[p], bits[0]);
                    out[o + 1] = to8(row[p + 1], bits[1]);
                    out[o + 2] = to8(row[p + 2], bits[2]);
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    /**
     * Raw 8-bit CMYK samples to RGB with Pillow's formula.
     *
     * @param inverted whether samples are stored inverted (255 = no ink), as TwelveMonkeys'
     *     {@code readRaster} returns JPEG CMYK (Adobe's storage order); false means 0 = no ink
     */
    static RgbImage fromCmykRaster(Raster raster, boolean inverted) {
        return fromCmyk(raster, null, inverted);
    }

    private static RgbImage fromCmyk(Raster raster, ColorModel cm, boolean inverted) {
        int flip = inverted ? 255 : 0;
        int[] bits = new int[4];
        for (int c = 0; c < 4; c++) {
            bits[c] = cm == null ? raster.getSampleModel().getSampleSize(c) : cm.getComponentSize(c);
        }
        int w = raster.getWidth();
        int h = raster.getHeight();
        int bands = raster.getNumBands();
        byte[] out = new byte[3 * w * h];
        int[] row = new int[w * bands];
        int o = 0;
        for (int y = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, row);
            for (int x = 0, p = 0; x < w; x++, p += bands, o += 3) {
                int nk = 255 - ((to8(row[p + 3], bits[3]) & 0xFF) ^ flip);
                for (int c = 0; c < 3; c++) {
                    int v = (to8(row[p + c], bits[c]) & 0xFF) ^ flip;
                    out[o + c] = (byte) Math.max(0, nk - mulDiv255(v, nk));
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    /** Pillow's MULDIV255: a*b/255 rounded with shifts instead of a division. */
    static int mulDiv255(int a, int b) {
        int t = a * b + 128;
        return ((t >> 8) + t) >> 8;
    }

    private static RgbImage fromPalette(Raster raster, IndexColorModel icm) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int size = icm.getMapSize();
        byte[] reds = new byte[size];
        byte[] greens = new byte[size];
        byte[] blues = new byte[size];
        icm.getReds(reds);
        icm.getGreens(greens);
        icm.getBlues(blues);
        byte[] out = new byte[3 * w * h];
        int[] row = new int[w];
        int o = 0;
        for (int y = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++, o += 3) {
                // An index beyond the palette is corrupt data; Pillow shows black there, so do we.
                int i = row[x];
                if (i >= 0 && i < size) {
                    out[o] = reds[i];
                    out[o + 1] = greens[i];
                    out[o + 2] = blues[i];
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    private static RgbImage fromArgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[3 * w * h];
        int[] row = new int[w];
        int o = 0;
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++, o += 3) {
                int argb = row[x];
                out[o] = (byte) (argb >> 16);
                out[o + 1] = (byte) (argb >> 8);
                out[o + 2] = (byte) argb;
            }
        }
        return new RgbImage(w, h, out);
    }

    /** Brings a sample of {@code bits} bits to 8 bits: high byte for deep samples, stretch for shallow ones. */
    static byte to8(int sample, int bits) {
        if (bits == 8) {
            return (byte) sample;
        }
        if (bits > 8) {
            return (byte) (sample >>> (bits - 8));
        }
        int max = (1 << bits) - 1;
        return (byte) (sample * 255 / max);
    }
}
