package dev.embedder.s3;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** How intakes turn the keys their events carry back into the keys stored in S3. */
public final class Keys {

    private Keys() {}

    /**
     * S3 event notifications (and Batch Operations tasks) encode keys like an HTML form: {@code +} for a space and
     * {@code %XX} for UTF-8 bytes of everything else, which is exactly what URLDecoder undoes (a literal {@code +}
     * arrives as {@code %2B}).
     *
     * @throws RecordFailure (permanent, {@code invalid_event}) for a malformed escape
     */
    public static String formDecoded(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw RecordFailure.error("invalid_event", "object key '" + raw + "' is not URL-encoded as S3 sends it: "
                    + e.getMessage());
        }
    }

    /** For reporting: decoded if it can be, else as it came. */
    public static String formDecodedOrRaw(String raw) {
        try {
            return raw == null ? null : formDecoded(raw);
        } catch (RecordFailure e) {
            return raw;
        }
    }
}
