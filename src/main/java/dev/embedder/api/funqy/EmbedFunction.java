package dev.embedder.api.funqy;

import dev.embedder.encoding.OutputEncoding;
import dev.embedder.error.InvalidInputException;
import dev.embedder.service.EmbeddingResult;
import dev.embedder.service.EmbeddingService;
import dev.embedder.service.PoolingOverrides;
import dev.embedder.service.TextEmbeddingRequest;
import dev.embedder.service.TokenEmbeddingResult;
import dev.embedder.service.Usage;
import dev.embedder.text.TruncationDirection;
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
            throw new InvalidInputException("the event must be a JSON object with 'inputs'");
        }
        PoolingOverrides pooling = new PoolingOverrides(request.pooling(), request.layers(), request.normalize(),
                request.includeClassToken());
        TruncationDirection direction = TruncationDirection.parse(request.truncationDirection());
        if (Boolean.TRUE.equals(request.tokenEmbeddings())) {
            if (request.images() != null || request.embeddingType() != null || request.encodingFormat() != null
                    || request.ranges() != null) {
                throw new InvalidInputException("tokenEmbeddings returns float token vectors of texts: images,"
                        + " embeddingType, encodingFormat and ranges do not apply");
            }
            TokenEmbeddingResult result = service.embedTokens(new TextEmbeddingRequest(request.model(),
                    request.inputs(), pooling, Boolean.TRUE.equals(request.truncate()), request.dimensions(), direction));
            return new EmbedFunctionResponse(result.model(), result.dimension(), result.tokens(), usage(result.usage()));
        }
        OutputEncoding encoding = OutputEncoding.parse(request.encodingFormat(), request.embeddingType(),
                request.ranges(), request.dimensions());
        EmbeddingResult result;
        if (request.images() != null) {
            if (request.inputs() != null) {
                throw new InvalidInputException("send either 'inputs' (texts) or 'images', not both");
            }
            result = service.embedEncodedImages(request.model(), request.images(), pooling, request.dimensions());
        } else {
            result = service.embedText(new TextEmbeddingRequest(request.model(), request.inputs(), pooling,
                    Boolean.TRUE.equals(request.truncate()), request.dimensions(), direction, request.promptName(),
                    request.prompt()));
        }
        return new EmbedFunctionResponse(result.model(), result.dimension(),
                encoding.plainFloat() ? result.vectors() : encoding.encode(result.vectors()), usage(result.usage()));
    }

    private static EmbedFunctionResponse.FunctionUsage usage(Usage usage) {
        return new EmbedFunctionResponse.FunctionUsage(usage.promptTokens(), usage.totalTokens(), usage.truncatedInputs());
    }
}
