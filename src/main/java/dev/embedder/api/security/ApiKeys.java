package dev.embedder.api.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The configured API keys and the check of an {@code Authorization} header against them.
 *
 * <p>Keys are kept only as SHA-256 digests and a presented key is hashed before it is compared, so every
 * comparison is between two 32-byte values with {@link MessageDigest#isEqual} (constant time): neither the
 * length of a key nor the position of its first wrong character shows in the response time. Every stored
 * key is compared, even after a match, for the same reason.
 */
final class ApiKeys {

    private static final String BEARER = "bearer ";

    private final List<byte[]> digests;

    ApiKeys(List<String> keys) {
        List<byte[]> d = new ArrayList<>();
        for (String key : keys) {
            // SmallRye hands over list entries trimmed; an empty entry (a trailing comma) is no key at all.
            if (key != null && !key.isBlank()) {
                d.add(sha256(key.strip()));
            }
        }
        this.digests = List.copyOf(d);
    }

    /** No keys configured: the HTTP routes are open. */
    boolean disabled() {
        return digests.isEmpty();
    }

    /** Whether the header is {@code Bearer <one of the keys>}; the scheme name is case-insensitive (RFC 7235). */
    boolean accepts(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return false;
        }
        byte[] presented = sha256(authorization.substring(BEARER.length()).strip());
        boolean match = false;
        for (byte[] digest : digests) {
            match |= MessageDigest.isEqual(digest, presented);
        }
        return match;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM ships SHA-256", e);
        }
    }
}
