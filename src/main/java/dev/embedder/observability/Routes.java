package dev.embedder.observability;

/**
 * The {@code route} label. Only requests that reached the embedding service get one, and every application route
 * is a fixed path (no path parameters), so the normalised path is itself a bounded set; a trailing slash is
 * dropped so {@code /embed/} and {@code /embed} count together.
 */
final class Routes {

    private Routes() {}

    static String label(String normalizedPath) {
        if (normalizedPath == null || normalizedPath.isEmpty()) {
            return "/";
        }
        if (normalizedPath.length() > 1 && normalizedPath.endsWith("/")) {
            return normalizedPath.substring(0, normalizedPath.length() - 1);
        }
        return normalizedPath;
    }
}
