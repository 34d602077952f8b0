package dev.embedder.api.rest;

import dev.embedder.config.EmbedderConfig;
import dev.embedder.encoding.OutputEncoding;
import dev.embedder.error.InvalidInputException;
import dev.embedder.service.EmbeddingResult;
import dev.embedder.service.EmbeddingService;
import dev.embedder.service.ModelRegistry;
import dev.embedder.service.PoolingOverrides;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenAI-compatible embeddings: an OpenAI client pointed at this server works unchanged. With an image
 * model, each {@code input} string is an image as base64 or a data URI.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class OpenAiEmbeddingsResource {

    private final EmbeddingService service;
    private final ModelRegistry registry;
    private final boolean autoTruncate;

    public OpenAiEmbeddingsResource(EmbeddingService service, ModelRegistry registry, EmbedderConfig config) {
        this.service = service;
        this.registry = registry;
        this.autoTruncate = config.limits().autoTruncate();
    }

    @POST
    @Path("/embeddings")
    @Consumes(MediaType.APPLICATION_JSON)
    public OpenAiEmbeddingResponse embeddings(OpenAiEmbeddingRequest request) {
        if (request == null) {
            throw new InvalidInputException("request body is required");
        }
        OutputEncoding encoding = OutputEncoding.parse(request.encodingFormat(), request.embeddingType(),
                request.ranges(), request.dimensions());
        EmbeddingResult result = service.embedStrings(request.model(), InputParser.texts(request.input(), "input"),
                new PoolingOverrides(request.pooling(), request.layers(), request.normalize(), request.includeClassToken()),
                request.truncate() != null ? request.truncate() : autoTruncate, request.dimensions(),
                dev.embedder.text.TruncationDirection.RIGHT, request.promptName(), request.prompt());
        List<Object> vectors = encoding.encode(result.vectors());
        List<OpenAiEmbeddingResponse.Item> data = new ArrayList<>(vectors.size());
        for (int i = 0; i < vectors.size(); i++) {
            data.add(new OpenAiEmbeddingResponse.Item("embedding", i, vectors.get(i)));
        }
        var usage = result.usage();
        return new OpenAiEmbeddingResponse("list", data, result.model(),
                new OpenAiEmbeddingResponse.OpenAiUsage(usage.promptTokens(), usage.totalTokens(), usage.truncatedInputs()));
    }

    /** OpenAI's model list, so clients that check the model id first find it. */
    @GET
    @Path("/models")
    public Map<String, Object> models() {
        // The id users know: the Hugging Face repo id when the model has one (requests accept it and the name).
        List<Map<String, Object>> data = (registry.isReady() ? registry.manifests() : List.<dev.embedder.bundle.BundleManifest>of()).stream()
                .map(m -> Map.<String, Object>of("id", m.repoId() != null ? m.repoId() : m.name(), "object", "model",
                        "owned_by", "embedder"))
                .toList();
        return Map.of("object", "list", "data", data);
    }
}
