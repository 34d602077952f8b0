package dev.embedder.api.funqy;

import dev.embedder.service.EmbeddingResult;
import dev.embedder.service.EmbeddingService;
import dev.embedder.service.PoolingOverrides;
import dev.embedder.service.TextEmbeddingRequest;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;

/**
 * The Funqy function {@code embeddings}: the AWS Lambda handler (selected with
 * {@code quarkus.funqy.export=embeddings}) and, from the same artifact, {@code POST /embeddings} over
 * HTTP. It is not called {@code embed} because Funqy's HTTP binding maps a function to
 * {@code /<name>}, and {@code /embed} belongs to the TEI-compatible route. A failure throws, so Lambda
 * reports a function error carrying the message and the exception type.
 */
@jakarta.enterprise.context.ApplicationScoped
public class EmbedFunction {

    @Inject
    EmbeddingService service;

    @Funq("embeddings")
    public EmbedFunctionResponse embed(EmbedFunctionRequest request) {
        if (request == null) {
            throw new dev.embedder.error.InvalidInputException("the event must be a JSON object with 'inputs'");
        }
        PoolingOverrides pooling = new PoolingOverrides(request.pooling(), request.layers(), request.normalize(),
                request.includeClassToken());
        EmbeddingResult result;
        if (request.images() != null) {
            if (request.inputs() != null) {
                throw new dev.embedder.error.InvalidInputException("send either 'inputs' (texts) or 'images', not both");
            }
            result = service.embedEncodedImages(request.model(), request.images(), pooling, request.dimensions());
        } else {
            result = service.embedText(new TextEmbeddingRequest(request.model(), request.inputs(), pooling,
                    Boolean.TRUE.equals(request.truncate()), request.dimensions(), request.promptName(), request.prompt()));
        }
        var usage = result.usage();
        return new EmbedFunctionResponse(result.model(), result.dimension(), result.vectors(),
                new EmbedFunctionResponse.FunctionUsage(usage.promptTokens(), usage.totalTokens(), usage.truncatedInputs()));
    }
}
