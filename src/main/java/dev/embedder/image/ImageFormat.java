package dev.embedder.image;

import java.util.Locale;
import java.util.Optional;

/**
 * The encoded formats we accept. An allow-list rather than "whatever ImageIO can read": ImageIO also
 * registers readers such as WBMP whose format has no signature, so arbitrary bytes could otherwise be
 * "decoded" into a garbage image instead of being refused.
 */
enum ImageFormat {
    JPEG("JPEG"),
    PNG("PNG"),
    GIF("GIF"),
    BMP("BMP"),
    WEBP("WebP");

    private final String displayName;

    ImageFormat(String displayName) {
        this.displayName = displayName;
    }

    String displayName() {
        return displayName;
    }

    /** Maps an ImageIO format name (any of a reader's aliases) to a supported format. */
    static Optional<ImageFormat> fromImageIoName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "jpeg", "jpg" -> Optional.of(JPEG);
            case "png" -> Optional.of(PNG);
            case "gif" -> Optional.of(GIF);
            case "bmp" -> Optional.of(BMP);
            case "webp" -> Optional.of(WEBP);
            default -> Optional.empty();
        };
    }

    static String supportedList() {
        return "JPEG, PNG, GIF, BMP, WebP";
    }
}
