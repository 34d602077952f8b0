package dev.embedder.bundle;

import java.util.Locale;

/** How a hidden state of shape [tokens or positions, dim] becomes one vector. */
public enum PoolingMode {
    /** Mask-aware mean over tokens (text) or mean over patches / spatial positions (image). */
    MEAN,
    /** The first (real) token's state: BERT's [CLS], ViT's class token. */
    CLS,
    /** Element-wise maximum over the real tokens. */
    MAX,
    /** The last real token's state (decoder embedding models); found by the mask, so either padding side works. */
    LAST_TOKEN;

    public static PoolingMode parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        return switch (v) {
            case "mean" -> MEAN;
            case "cls" -> CLS;
            case "max" -> MAX;
            case "last_token", "lasttoken" -> LAST_TOKEN;
            default -> throw new IllegalArgumentException("unknown pooling '" + value
                    + "', expected one of: mean, cls, max, last_token");
        };
    }

    /** The name as requests and manifests spell it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
