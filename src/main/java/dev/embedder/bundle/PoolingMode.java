package dev.embedder.bundle;

import java.util.Locale;

/** How a hidden state of shape [tokens or positions, dim] becomes one vector. */
public enum PoolingMode {
    /** Mask-aware mean over tokens (text) or mean over patches / spatial positions (image). */
    MEAN,
    /** The first token's state: BERT's [CLS], ViT's class token. */
    CLS;

    public static PoolingMode parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown pooling '" + value + "', expected one of: mean, cls");
        }
    }
}
