package dev.embedder.service;

import java.util.List;

/** Per-request pooling choices; a null field means "use the bundle's default". */
public record PoolingOverrides(String mode, List<Integer> layers, Boolean normalize, Boolean includePrefixTokens) {
    public static final PoolingOverrides NONE = new PoolingOverrides(null, null, null, null);

    public PoolingOverrides(String mode, List<Integer> layers, Boolean normalize) {
        this(mode, layers, normalize, null);
    }
}
