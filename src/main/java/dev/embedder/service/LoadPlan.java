package dev.embedder.service;

import dev.embedder.config.EmbedderConfig;
import dev.embedder.hub.HubSettings;
import dev.embedder.image.ImageLimits;
import dev.embedder.inference.ExecutionDevice;
import dev.embedder.inference.SessionSettings;
import java.util.List;

/**
 * Everything that decides which models {@link ModelRegistry} opens and how: the bundles and where they come from,
 * the ONNX Runtime session settings and what the embedders are built with. A value, so that models opened early
 * from the configuration seen at static init can be checked against the runtime configuration.
 */
record LoadPlan(List<String> models, List<String> locations, String variant, HubSettings hub,
        SessionSettings session, int maxBatchSize, int maxBatchTokens, boolean graphPooling, int parallelRuns,
        ImageLimits imageLimits) {

    LoadPlan {
        models = List.copyOf(models);
        locations = List.copyOf(locations);
    }

    static LoadPlan of(EmbedderConfig config) {
        EmbedderConfig.Inference inference = config.inference();
        SessionSettings session = new SessionSettings(inference.intraOpThreads(), inference.interOpThreads(),
                inference.optimizationLevel(), ExecutionDevice.parse(inference.device()), inference.deviceId(),
                inference.tensorrt(), inference.memoryArena(), inference.memoryPattern(), inference.arenaShrink(),
                inference.allowSpinning());
        return new LoadPlan(config.bundle().models(), config.bundle().locations(), config.bundle().variant(),
                HubSettings.fromConfig(), session, inference.maxBatchSize(), inference.maxBatchTokens(),
                inference.graphPooling(), inference.parallelRuns(),
                new ImageLimits(config.limits().maxImageBytes(), config.limits().maxImagePixels()));
    }
}
