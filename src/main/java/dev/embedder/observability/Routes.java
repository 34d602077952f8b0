package dev.embedder.observability;

/**
 * The {@code route} label. Only requests that reached the embedding service get one, and every application route
 * is a fixed path (no path parameters), so the normalised path is itself a bounded set; a trailing slash is
 * dropped so {@code /embed/} and {@code /embed} count together.
 */
final class Routes {

    /**
     * The application's routes (REST, Funqy, CloudEvents at {@code /}, the playground): the only paths an error
     * answered before the service ran is counted under, so a scan of random paths adds no series. MetricsTest
     * checks that every path of the OpenAPI document is here.
     */
    static final java.util.Set<String> APPLICATION = java.util.Set.of("/", "/v1/embeddings", "/v1/models", "/embed",
            "/embed_all", "/similarity", "/tokenize", "/embed-image", "/embeddings", "/embed-s3", "/info",
            "/playground");

    private Routes() {}

    /** The route label of an application route, or null for any other path. */
    static String application(String normalizedPath) {
        String label = label(normalizedPath);
        return APPLICATION.contains(label) ? label : null;
    }

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
