package dev.embedder.batching;

/**
 * Cross-request batching limits.
 *
 * @param enabled        off: every request runs on its own caller thread (the direct path)
 * @param maxBatchTokens padded-token budget of one scheduling round, as TEI's max-batch-tokens
 * @param maxWaitMillis  how long the worker lingers for more requests after the first one; 0 takes
 *                       only what is already queued, so a lone request is never delayed
 * @param queueCapacity  most sequences waiting; beyond that requests are refused (HTTP 429) instead of
 *                       queueing without bound
 */
public record BatchingSettings(boolean enabled, int maxBatchTokens, int maxWaitMillis, int queueCapacity) {
    public BatchingSettings {
        if (maxBatchTokens < 1 || maxWaitMillis < 0 || queueCapacity < 1) {
            throw new IllegalArgumentException("batching limits must be positive");
        }
    }
}
