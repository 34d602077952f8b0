package dev.embedder.api.hf;

import dev.embedder.testing.HfLayouts;
import java.util.Map;

/**
 * Two models given as Hugging Face directories, by path, with no bundle.json: all-MiniLM-L6-v2 and
 * e5-small-v2 as Hub cache snapshots (see testing/HfLayouts).
 */
public class HfDirectoryProfile implements io.quarkus.test.junit.QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("embedder.bundle.models", HfLayouts.minilm() + "," + HfLayouts.e5(),
                "embedder.bundle.default-text-model", "sentence-transformers/all-MiniLM-L6-v2");
    }
}
