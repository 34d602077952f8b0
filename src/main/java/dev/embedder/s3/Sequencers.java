package dev.embedder.s3;

import java.util.Locale;

/**
 * S3's event {@code sequencer}: a hex string, meaningful only between events for the same key, the greater being
 * the later. Values of different lengths are compared after padding the shorter one with zeros on the left, i.e.
 * as the hexadecimal numbers they are (the S3 developer guide's rule; the 2023 user guide says to pad on the
 * right, which the sources do not reconcile: shared/notes/aws-events.md section 1).
 */
public final class Sequencers {

    private Sequencers() {}

    /** Negative, zero or positive as {@code a} is earlier than, the same as, or later than {@code b}. */
    public static int compare(String a, String b) {
        String x = a.strip().toUpperCase(Locale.ROOT);
        String y = b.strip().toUpperCase(Locale.ROOT);
        int width = Math.max(x.length(), y.length());
        return pad(x, width).compareTo(pad(y, width));
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
    }
}
