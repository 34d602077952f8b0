package dev.embedder.service;

import dev.embedder.error.InvalidInputException;
import java.util.Base64;
import java.util.Locale;

/**
 * Images as JSON carries them: plain base64 or a {@code data:image/...;base64,} URI. URLs are refused
 * on purpose: fetching arbitrary URLs from inside a function is a server-side request forgery hole.
 */
public final class ImageData {

    private ImageData() {}

    public static java.util.List<byte[]> decodeAll(java.util.List<String> values) {
        java.util.List<byte[]> out = new java.util.ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            out.add(decode(values.get(i), i));
        }
        return out;
    }

    public static byte[] decode(String value, int index) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException("image " + index + " is empty; send base64 or a data: URI");
        }
        String text = value.strip();
        String lower = text.substring(0, Math.min(text.length(), 16)).toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("s3://")
                || lower.startsWith("file:")) {
            throw new InvalidInputException("image " + index + " is a URL; URLs are never fetched, send the image"
                    + " bytes as base64 or a data: URI");
        }
        if (lower.startsWith("data:")) {
            int comma = text.indexOf(',');
            if (comma < 0 || !text.substring(0, comma).toLowerCase(Locale.ROOT).endsWith(";base64")) {
                throw new InvalidInputException("image " + index + " is a data: URI without ';base64,'");
            }
            text = text.substring(comma + 1);
        }
        try {
            // Strict decoding after dropping whitespace (line breaks of MIME-style base64): the MIME decoder itself
            // skips every character outside the alphabet, so "%%%" would pass as an empty image.
            return Base64.getDecoder().decode(withoutWhitespace(text));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("image " + index + " is not valid base64: " + e.getMessage());
        }
    }

    private static String withoutWhitespace(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
