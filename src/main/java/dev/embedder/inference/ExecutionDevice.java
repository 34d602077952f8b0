package dev.embedder.inference;

import java.util.Locale;

/**
 * Where ONNX Runtime runs the models ({@code embedder.inference.device}). {@code AUTO} is only a request:
 * {@link DeviceSelector} turns it into {@code CUDA} or {@code CPU} once, at startup.
 */
public enum ExecutionDevice {
    CPU,
    CUDA,
    AUTO;

    public static ExecutionDevice parse(String name) {
        if (name == null || name.isBlank()) {
            return CPU;
        }
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "cpu" -> CPU;
            case "cuda", "gpu" -> CUDA;
            case "auto" -> AUTO;
            default -> throw new IllegalArgumentException(
                    "unknown embedder.inference.device '" + name + "', expected cpu, cuda or auto");
        };
    }
}
