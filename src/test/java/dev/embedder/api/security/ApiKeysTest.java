package dev.embedder.api.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void onlyABearerHeaderWithAConfiguredKeyIsAccepted() {
        ApiKeys keys = new ApiKeys(List.of("alpha", " beta "));
        assertTrue(keys.accepts("Bearer alpha"));
        assertTrue(keys.accepts("BEARER beta"));
        assertTrue(keys.accepts("Bearer  alpha "));
        for (String header : Arrays.asList(null, "", "Bearer", "Bearer ", "alpha", "Basic alpha", "Bearer alph",
                "Bearer alphaa", "Bearer ALPHA", "Bearer gamma")) {
            assertFalse(keys.accepts(header), String.valueOf(header));
        }
    }

    @Test
    void blankEntriesAreNoKeys() {
        assertTrue(new ApiKeys(List.of()).disabled());
        assertTrue(new ApiKeys(List.of(" ", "")).disabled());
        assertFalse(new ApiKeys(List.of(" ", "")).accepts("Bearer "));
        assertFalse(new ApiKeys(List.of("k")).disabled());
    }

    @Test
    void healthPathsAreRecognised() {
        assertTrue(ApiKeyFilter.isHealth("/q/health"));
        assertTrue(ApiKeyFilter.isHealth("/q/health/ready"));
        assertFalse(ApiKeyFilter.isHealth("/q/healthy"));
        assertFalse(ApiKeyFilter.isHealth("/v1/embeddings"));
    }
}
