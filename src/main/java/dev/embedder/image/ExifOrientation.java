package dev.embedder.image;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads the EXIF Orientation tag of a JPEG and turns the pixels upright, like Pillow's
 * {@code ImageOps.exif_transpose}.
 *
 * <p>Parsing uses TwelveMonkeys' imageio-metadata, which imageio-jpeg already depends on, so EXIF support
 * adds no library and shares that project's hardening against malformed segments. Metadata problems
 * never fail a request: the pixels decode independently of EXIF, so a broken EXIF block means "as stored".
 */
final class ExifOrientation {
    /** Orientation value meaning "stored upright". */
    static final int NORMAL = 1;

    private ExifOrientation() {
    }

    /** Orientation 1..8 from the JPEG's APP1 Exif segment, or {@link #NORMAL} when absent or unreadable. */
    static int readJpeg(byte[] encoded) {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
            List<JPEGSegment> segments = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif");
            for (JPEGSegment segment : segments) {
                InputStream data = segment.data();
                // "Exif\0" is stripped by data(); one pad byte precedes the TIFF header.
                if (data.read() < 0) {
                    continue;
                }
                Directory dir = new TIFFReader().read(new MemoryCacheImageInputStream(data));
                Entry entry = dir.getEntryById(TIFF.TAG_ORIENTATION);
                if (entry != null && entry.getValue() instanceof Number n && n.intValue() >= 1 && n.intValue() <= 8) {
                    return n.intValue();
                }
            }
        } catch (IOException | RuntimeException e) {
            return NORMAL;
        }
        return NORMAL;
    }

    /** Applies orientation {@code o} (EXIF numbering); values outside 2..8 leave the image unchanged. */
    static RgbImage apply(RgbImage src, int o) {
        if (o < 2 || o > 8) {
            return src;
        }
        int w = src.width();
        int h = src.height();
        boolean swap = o >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        byte[] in = src.data();
        byte[] out = new byte[in.length];
        int p = 0;
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++, p += 3) {
                int sx;
                int sy;
                switch (o) {
                    case 2 -> { sx = w - 1 - x; sy = y; }            // mirror left-right
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }    // rotate 180
                    case 4 -> { sx = x; sy = h - 1 - y; }            // mirror top-bottom
                    case 5 -> { sx = y; sy = x; }                    // transpose
                    case 6 -> { sx = y; sy = h - 1 - x; }            // rotate 90 clockwise
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }    // transverse
                    default -> { sx = w - 1 - y; sy = x; }           // 8: rotate 90 counter-clockwise
                }
                int s = (sy * w + sx) * 3;
                out[p] = in[s];
                out[p + 1] = in[s + 1];
                out[p + 2] = in[s + 2];
            }
        }
        return new RgbImage(ow, oh, out);
    }
}
