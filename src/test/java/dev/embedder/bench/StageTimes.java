package dev.embedder.bench;

/**
 * Where one pass of a plain pipeline spent its time, so a slow variant can be traced to tokenization,
 * the ONNX Runtime call (tensor creation and copy-out included) or pooling.
 */
final class StageTimes {

    long tokenizeNanos;
    long inferNanos;
    long poolNanos;
    /** Token positions fed to the model, padding included; against the real count it shows padding waste. */
    long paddedTokens;

    double tokenizeMillis() {
        return tokenizeNanos / 1e6;
    }

    double inferMillis() {
        return inferNanos / 1e6;
    }

    double poolMillis() {
        return poolNanos / 1e6;
    }
}
