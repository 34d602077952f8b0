package dev.embedder.api.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.embedder.bundle.BundleManifest;
import dev.embedder.config.EmbedderConfig;
import dev.embedder.service.ModelRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /info}: TEI's model description, plus every loaded bundle with its layers and pooling. */
@Path("/info")
@Produces(MediaType.APPLICATION_JSON)
public class InfoResource {

    private final ModelRegistry registry;
    private final int maxInputs;

    public InfoResource(ModelRegistry registry, EmbedderConfig config) {
        this.registry = registry;
        this.maxInputs = config.limits().maxInputs();
    }

    public record ModelInfo(
            String name,
            @JsonProperty("repo_id") String repoId,
            String modality,
            int dimension,
            @JsonProperty("max_input_length") Integer maxInputLength,
            @JsonProperty("hidden_states") int hiddenStates,
            BundleManifest.Pooling pooling,
            String license,
            String provenance) {}

    public record Info(
            @JsonProperty("model_id") String modelId,
            @JsonProperty("model_type") String modelType,
            @JsonProperty("max_input_length") Integer maxInputLength,
            int dimension,
            @JsonProperty("hidden_states") int hiddenStates,
            @JsonProperty("max_client_batch_size") int maxClientBatchSize,
            List<ModelInfo> models) {}

    @GET
    public Info info() {
        List<ModelInfo> models = registry.manifests().stream()
                .map(m -> new ModelInfo(m.name(), m.repoId(), m.modality().name().toLowerCase(), m.dimension(), m.maxTokens(),
                        m.hiddenStates().size(), m.pooling(), m.license(), m.provenance()))
                .toList();
        ModelInfo main = models.stream().filter(m -> m.name().equals(registry.defaultTextModel())).findFirst()
                .orElse(models.get(0));
        return new Info(main.repoId() != null ? main.repoId() : main.name(), "embedding", main.maxInputLength(), main.dimension(), main.hiddenStates(),
                maxInputs, models);
    }
}
