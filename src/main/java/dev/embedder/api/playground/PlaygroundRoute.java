package dev.embedder.api.playground;

import dev.embedder.observability.ObservabilityConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /playground}: one static page (src/main/resources/playground/index.html) that calls only the public
 * API (/v1/models, /v1/embeddings, /tokenize) from the browser. Served in dev mode, and in prod only with
 * {@code embedder.observability.playground=true}; otherwise the route does not exist.
 */
@ApplicationScoped
public class PlaygroundRoute {

    private final boolean enabled;

    PlaygroundRoute(ObservabilityConfig config) {
        this.enabled = config.playground();
    }

    void install(@Observes Router router) {
        if (!enabled) {
            return;
        }
        Buffer page = Buffer.buffer(read());
        router.get("/playground").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-cache").end(page));
    }

    private static byte[] read() {
        try (InputStream in = PlaygroundRoute.class.getResourceAsStream("/playground/index.html")) {
            if (in == null) {
                throw new IllegalStateException("playground/index.html is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
