package dev.embedder.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The route label stays a bounded set: application routes by name, a trailing slash folded, anything else none. */
class RoutesTest {

    @Test
    void applicationRoutesAreLabelledAndOtherPathsAreNot() {
        assertEquals("/embed_all", Routes.application("/embed_all"));
        assertEquals("/tokenize", Routes.application("/tokenize/"));
        assertEquals("/", Routes.application("/"));
        assertNull(Routes.application("/wp-login.php"));
        assertNull(Routes.application("/embed/../../etc/passwd"));
        assertNull(Routes.application("/q/health/ready"));
    }
}
