package dev.embedder.api.security;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Two API keys configured; only the default text model, to keep this extra Quarkus start short. */
public class ApiKeyProfile implements QuarkusTestProfile {

    public static final String KEY = "test-key-3f9a";
    static final String SECOND_KEY = "second-key-77b1";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("embedder.security.api-keys", KEY + "," + SECOND_KEY,
                "embedder.bundle.models", "all-minilm-l6-v2");
    }
}
