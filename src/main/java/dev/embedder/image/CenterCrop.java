package dev.embedder.image;

/**
 * Center crop with HF's offsets and zero padding.
 *
 * <p>Offsets: the crop starts at {@code (size - crop) // 2} (Python floor division), as in transformers'
 * {@code image_transforms.center_crop}. When the image is smaller than the crop, HF pads with zeros so that
 * the same formula (now negative) still gives the source position of the first output pixel; padding is
 * applied to the uint8 image, so padded pixels become {@code (0 - mean) / std} after normalisation.
 */
final class CenterCrop {
    private CenterCrop() {
    }

    /** Source coordinate of the first cropped pixel; negative when the crop is larger than the image. */
    static int offset(int size, int crop) {
        return Math.floorDiv(size - crop, 2);
    }

    static RgbImage crop(RgbImage src, int cropHeight, int cropWidth) {
        if (cropHeight == src.height() && cropWidth == src.width()) {
            return src;
        }
        int top = offset(src.height(), cropHeight);
        int left = offset(src.width(), cropWidth);
        byte[] in = src.data();
        byte[] out = new byte[3 * cropHeight * cropWidth];
        // Copy the overlapping span row by row; everything else stays 0, which is HF's padding value.
        int x0 = Math.max(0, -left);
        int x1 = Math.min(cropWidth, src.width() - left);
        for (int y = 0; y < cropHeight; y++) {
            int sy = y + top;
            if (sy < 0 || sy >= src.height() || x1 <= x0) {
                continue;
            }
            System.arraycopy(in, (sy * src.width() + left + x0) * 3, out, (y * cropWidth + x0) * 3, (x1 - x0) * 3);
        }
        return new RgbImage(cropWidth, cropHeight, out);
    }
}
