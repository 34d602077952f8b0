package dev.embedder.inference;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.util.Locale;

/** ONNX Runtime session options, decided once from configuration. */
public record SessionSettings(int intraOpThreads, int interOpThreads, String optimizationLevel) {

    public SessionSettings {
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("thread counts must be >= 0 (0 = ONNX Runtime's default)");
        }
        level(optimizationLevel);
    }

    OrtSession.SessionOptions toOptions() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(intraOpThreads);
        options.setInterOpNumThreads(interOpThreads);
        options.setOptimizationLevel(level(optimizationLevel));
        // Encoders are a single chain of layers: parallel node execution only adds scheduling cost.
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        return options;
    }

    private static OptLevel level(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "none" -> OptLevel.NO_OPT;
            case "basic" -> OptLevel.BASIC_OPT;
            case "extended" -> OptLevel.EXTENDED_OPT;
            case "all" -> OptLevel.ALL_OPT;
            default -> throw new IllegalArgumentException(
                    "unknown optimization level '" + name + "', expected none, basic, extended or all");
        };
    }
}
