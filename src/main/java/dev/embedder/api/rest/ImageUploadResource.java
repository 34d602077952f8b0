package dev.embedder.api.rest;

import dev.embedder.error.InvalidInputException;
import dev.embedder.service.EmbeddingResult;
import dev.embedder.service.EmbeddingService;
import dev.embedder.service.ImageEmbeddingRequest;
import dev.embedder.service.PoolingOverrides;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code POST /embed-image}: the image file itself as the body, no base64 round trip
 * ({@code curl --data-binary @cat.jpg -H 'Content-Type: image/jpeg'}). Options go in the query string.
 */
@Path("/embed-image")
public class ImageUploadResource {

    private final EmbeddingService service;

    public ImageUploadResource(EmbeddingService service) {
        this.service = service;
    }

    public record ImageEmbedding(String model, int dimension, float[] embedding) {}

    @POST
    @Consumes({"image/*", MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    public ImageEmbedding embed(byte[] body, @QueryParam("model") String model, @QueryParam("pooling") String pooling,
            @QueryParam("layers") List<String> layers, @QueryParam("normalize") String normalize,
            @QueryParam("include_class_token") String includeClassToken, @QueryParam("dimensions") String dimensions) {
        if (body == null || body.length == 0) {
            throw new InvalidInputException("the request body must be the image file");
        }
        // Options arrive as strings and are parsed here, so a typo is a 400 naming it (see QueryParams).
        EmbeddingResult result = service.embedImages(new ImageEmbeddingRequest(model, List.of(body),
                new PoolingOverrides(pooling, QueryParams.integers("layers", layers),
                        QueryParams.bool("normalize", normalize),
                        QueryParams.bool("include_class_token", includeClassToken)),
                QueryParams.integer("dimensions", dimensions)));
        return new ImageEmbedding(result.model(), result.dimension(), result.vectors().get(0));
    }
}
