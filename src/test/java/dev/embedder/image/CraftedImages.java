package dev.embedder.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;

/** Hand-built image bytes for safety tests: headers that lie about their size, and small valid images. */
public final class CraftedImages {
    private CraftedImages() {
    }

    /**
     * A PNG whose IHDR declares {@code width x height} 8-bit RGB but whose IDAT holds a few compressed
     * rows only: a few hundred bytes that would need width*height*3 bytes to decode.
     */
    public static byte[] pngWithHeader(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height);
        ihdr.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", deflate(new byte[4096]));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** A GIF89a whose screen and first image descriptor declare {@code width x height} (max 65535 each). */
    public static byte[] gifWithHeader(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("GIF89a".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        le16(out, width);
        le16(out, height);
        out.write(0x80); // global colour table of 2 entries
        out.write(0);
        out.write(0);
        out.writeBytes(new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
        out.write(0x2C); // image descriptor
        le16(out, 0);
        le16(out, 0);
        le16(out, width);
        le16(out, height);
        out.write(0);
        out.write(2); // LZW minimum code size
        out.writeBytes(new byte[] {2, 0x4C, 0x01, 0}); // a tiny LZW block, then block terminator
        out.write(0x3B);
        return out.toByteArray();
    }

    public static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static BufferedImage solid(int width, int height, int rgb) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    private static void le16(ByteArrayOutputStream out, int v) {
        out.write(v & 0xFF);
        out.write((v >> 8) & 0xFF);
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] deflate(byte[] data) {
        Deflater d = new Deflater();
        d.setInput(data);
        d.finish();
        byte[] buf = new byte[data.length + 64];
        int n = d.deflate(buf);
        d.end();
        return java.util.Arrays.copyOf(buf, n);
    }
}
