package dev.embedder.image;

import dev.embedder.error.EmbedderException;
import dev.embedder.error.InputTooLargeException;
import dev.embedder.error.InvalidInputException;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Turns encoded bytes into an upright 8-bit RGB image, refusing anything hostile or broken.
 *
 * <p>Formats: JPEG (baseline, progressive, grayscale, CMYK/YCCK via TwelveMonkeys imageio-jpeg), PNG (any
 * bit depth, gray, palette, alpha), GIF (first frame only, like Pillow's default frame), BMP
 * (TwelveMonkeys imageio-bmp) and WebP (lossy and lossless, TwelveMonkeys imageio-webp).
 *
 * <p>Order of checks, cheapest first: encoded size; format signature; header dimensions via
 * {@link ImageReader#getWidth}/{@link ImageReader#getHeight} (no raster is allocated before the pixel
 * limit is checked); then the full decode, during which any truncation warning fails the request.
 * ImageIO's JPEG decoder otherwise returns a truncated file with its missing part filled in gray, and
 * Pillow (hence HF) refuses such files, so accepting them would embed a different picture.
 *
 * <p>EXIF orientation is applied to JPEGs. HF processors do not do this themselves (a raw PIL image is
 * passed as stored), but phone photos are routinely stored sideways with an orientation tag, users
 * expect the upright picture, and HF users usually call {@code ImageOps.exif_transpose} before the
 * processor. For images without the tag this changes nothing.
 *
 * <p>Thread-safe: every call creates its own reader and stream.
 */
public final class ImageDecoder {
    private final ImageLimits limits;

    public ImageDecoder(ImageLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        PluginRegistration.ensureRegistered();
    }

    /** Decodes to an upright {@link BufferedImage#TYPE_INT_RGB} image (alpha dropped, see {@link RgbConverter}). */
    public BufferedImage decode(byte[] encoded) {
        return decodeRgb(encoded).toBufferedImage();
    }

    RgbImage decodeRgb(byte[] encoded) {
        if (encoded == null || encoded.length == 0) {
            throw new InvalidInputException("image is empty (0 bytes)");
        }
        if (encoded.length > limits.maxEncodedBytes()) {
            throw new InputTooLargeException("image is " + encoded.length + " bytes, over the limit of "
                    + limits.maxEncodedBytes() + " bytes");
        }
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
            ReaderChoice choice = chooseReader(in);
            ImageReader reader = choice.reader();
            if (choice.format() == ImageFormat.WEBP && RiffLength.isTruncated(encoded)) {
                reader.dispose();
                throw new InvalidInputException("image is truncated or corrupt (WebP): shorter than its RIFF header declares");
            }
            try {
                RgbImage rgb = read(reader, in, choice.format());
                if (choice.format() == ImageFormat.JPEG) {
                    rgb = ExifOrientation.apply(rgb, ExifOrientation.readJpeg(encoded));
                }
                return rgb;
            } finally {
                reader.dispose();
            }
        } catch (EmbedderException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Only format detection runs outside read(), so the format is unknown here.
            throw new InvalidInputException("image could not be read (format detection failed)", e);
        }
    }

    private RgbImage read(ImageReader reader, ImageInputStream in, ImageFormat format) {
        String corrupt = "image is truncated or corrupt (" + format.displayName() + ")";
        try {
            // ignoreMetadata: metadata chunks (ICC, text, EXIF) are never parsed by the reader, which keeps
            // hostile metadata (e.g. zTXt bombs) out of the pixel path; EXIF is read separately.
            reader.setInput(in, true, true);
            long width = reader.getWidth(0);
            long height = reader.getHeight(0);
            if (width <= 0 || height <= 0) {
                throw new InvalidInputException("image has zero size (" + width + "x" + height + ", "
                        + format.displayName() + ")");
            }
            if (width * height > limits.maxPixels()) {
                throw new InputTooLargeException("image is " + width + "x" + height + " = " + width * height
                        + " pixels, over the limit of " + limits.maxPixels() + " pixels");
            }
            TruncationWatch watch = new TruncationWatch();
            reader.addIIOReadWarningListener(watch);
            RgbImage rgb;
            if (format == ImageFormat.JPEG && hasCmykType(reader)) {
                // Raw samples, not read(): read() converts CMYK through an ICC profile (a generic one when
                // the file has none), while Pillow applies a plain formula. TwelveMonkeys returns the raw
                // samples of CMYK and YCCK JPEGs in Adobe's inverted order (255 = no ink).
                Raster raster = reader.readRaster(0, null);
                checkDecoded(watch, raster.getWidth(), raster.getHeight(), width, height, corrupt);
                rgb = RgbConverter.fromCmykRaster(raster, true);
            } else {
                BufferedImage image = reader.read(0);
                checkDecoded(watch, image.getWidth(), image.getHeight(), width, height, corrupt);
                rgb = RgbConverter.toRgb(image);
            }
            return rgb;
        } catch (EmbedderException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(corrupt, e);
        }
    }

    private static void checkDecoded(TruncationWatch watch, long gotWidth, long gotHeight, long width, long height,
            String corrupt) {
        if (watch.truncated()) {
            throw new InvalidInputException(corrupt + ": " + watch.firstWarning());
        }
        if (gotWidth != width || gotHeight != height) {
            throw new InvalidInputException(corrupt + ": decoded size differs from header");
        }
    }

    /** A JPEG whose reader offers a CMYK destination is stored as CMYK or YCCK. */
    private static boolean hasCmykType(ImageReader reader) throws IOException {
        Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
        while (types.hasNext()) {
            if (types.next().getColorModel().getColorSpace().getType() == ColorSpace.TYPE_CMYK) {
                return true;
            }
        }
        return false;
    }

    private record ReaderChoice(ImageReader reader, ImageFormat format) {
    }

    private static ReaderChoice chooseReader(ImageInputStream in) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            Optional<ImageFormat> format = formatOf(reader);
            if (format.isPresent()) {
                return new ReaderChoice(reader, format.get());
            }
        }
        throw new InvalidInputException("not a supported image (expected " + ImageFormat.supportedList() + ")");
    }

    private static Optional<ImageFormat> formatOf(ImageReader reader) {
        if (reader.getOriginatingProvider() == null) {
            return Optional.empty();
        }
        for (String name : reader.getOriginatingProvider().getFormatNames()) {
            Optional<ImageFormat> f = ImageFormat.fromImageIoName(name);
            if (f.isPresent()) {
                return f;
            }
        }
        return Optional.empty();
    }

    /**
     * Collects reader warnings and recognises the ones that mean the data ended early. Not synchronised:
     * a reader reports warnings on the thread that called read, and each call has its own watch.
     */
    private static final class TruncationWatch implements IIOReadWarningListener {
        private final List<String> truncations = new ArrayList<>();

        @Override
        public void warningOccurred(ImageReader source, String warning) {
            if (warning != null && meansTruncated(warning)) {
                truncations.add(warning);
            }
        }

        boolean truncated() {
            return !truncations.isEmpty();
        }

        String firstWarning() {
            return truncations.isEmpty() ? "" : truncations.get(0);
        }

        /** Wording of the JDK/libjpeg JPEG warnings ("Premature end of JPEG file", "Missing EOI marker"). */
        static boolean meansTruncated(String warning) {
            String w = warning.toLowerCase(Locale.ROOT);
            return w.contains("premature end") || w.contains("truncated") || w.contains("missing eoi")
                    || w.contains("unexpected end");
        }
    }
}
