package dev.embedder.image;

/**
 * Detects WebP files cut short. TwelveMonkeys' lossless (VP8L) decoder reads past the end of a truncated
 * stream as zeros without any warning, so the RIFF header's declared length is checked instead: a
 * complete file is at least as long as the header says.
 */
final class RiffLength {
    private static final int HEADER = 12;

    private RiffLength() {
    }

    /** True when {@code data} is a RIFF file whose declared length exceeds the bytes actually present. */
    static boolean isTruncated(byte[] data) {
        if (data.length < HEADER || data[0] != 'R' || data[1] != 'I' || data[2] != 'F' || data[3] != 'F') {
            return false;
        }
        long declared = (data[4] & 0xFFL) | (data[5] & 0xFFL) << 8 | (data[6] & 0xFFL) << 16 | (data[7] & 0xFFL) << 24;
        // The length field counts everything after itself: the whole file is declared + 8 bytes.
        return data.length < declared + 8;
    }
}
