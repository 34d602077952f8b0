package dev.embedder.api.rest;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import dev.embedder.encoding.OutputEncoding;
import dev.embedder.error.InvalidInputException;
import dev.embedder.service.EmbeddingResult;
import dev.embedder.service.EmbeddingService;
import dev.embedder.service.PoolingOverrides;
import dev.embedder.service.SimilarityResult;
import dev.embedder.service.TextEmbeddingRequest;
import dev.embedder.service.TokenEmbeddingResult;
import dev.embedder.service.Usage;
import dev.embedder.text.TruncationDirection;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Hugging Face text-embeddings-inference compatible routes, so TEI clients can switch servers by URL.
 * TEI returns bare arrays; token usage travels in response headers.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TeiResource {

    private final EmbeddingService service;

    public TeiResource(EmbeddingService service) {
        this.service = service;
    }

    @POST
    @Path("/embed")
    public Response embed(TeiEmbedRequest request) {
        requireBody(request);
        OutputEncoding encoding = OutputEncoding.parse(request.encodingFormat(), request.embeddingType(),
                request.ranges(), request.dimensions());
        EmbeddingResult result = service.embedStrings(request.model(), InputParser.texts(request.inputs(), "inputs"),
                new PoolingOverrides(request.pooling(), request.layers(),
                        request.normalize() == null ? Boolean.TRUE : request.normalize(), request.includeClassToken()),
                Boolean.TRUE.equals(request.truncate()), request.dimensions(),
                TruncationDirection.parse(request.truncationDirection()), request.promptName(), request.prompt());
        Object body = encoding.plainFloat() ? result.vectors() : encoding.encode(result.vectors());
        return withUsage(Response.ok(body), result.model(), result.usage());
    }

    /**
     * TEI's {@code embed_all}: every token's vector of the chosen layer ({@code layers}; the last by default),
     * special tokens included, padding removed, neither pooled nor normalised: {@code [[[...], ...], ...]}.
     */
    @POST
    @Path("/embed_all")
    public Response embedAll(TeiEmbedRequest request) {
        requireBody(request);
        rejectPrompt(request.promptName());
        if (request.prompt() != null) {
            rejectPrompt(request.prompt());
        }
        if (request.embeddingType() != null || request.encodingFormat() != null || request.ranges() != null
                || request.pooling() != null) {
            throw new InvalidInputException("embed_all returns float token vectors: embedding_type, encoding_format,"
                    + " ranges and pooling do not apply");
        }
        TokenEmbeddingResult result = service.embedTokens(new TextEmbeddingRequest(request.model(),
                InputParser.texts(request.inputs(), "inputs"),
                new PoolingOverrides(null, request.layers(), request.normalize()),
                Boolean.TRUE.equals(request.truncate()), request.dimensions(),
                TruncationDirection.parse(request.truncationDirection())));
        return withUsage(Response.ok(result.tokens()), result.model(), result.usage());
    }

    /** TEI's {@code similarity}: cosine of {@code source_sentence} to each of {@code sentences}, e.g. {@code [0.9, 0.1]}. */
    @POST
    @Path("/similarity")
    public Response similarity(TeiSimilarityRequest request) {
        if (request == null || request.inputs() == null) {
            throw new InvalidInputException("request body with 'inputs': {source_sentence, sentences} is required");
        }
        TeiSimilarityRequest.Parameters p = request.parameters() == null
                ? new TeiSimilarityRequest.Parameters(null, null, null) : request.parameters();
        rejectPrompt(p.promptName());
        SimilarityResult result = service.similarity(request.model(), request.inputs().sourceSentence(),
                request.inputs().sentences(), Boolean.TRUE.equals(p.truncate()),
                TruncationDirection.parse(p.truncationDirection()));
        return withUsage(Response.ok(result.scores()), result.model(), result.usage());
    }

    private static void requireBody(TeiEmbedRequest request) {
        if (request == null) {
            throw new InvalidInputException("request body is required");
        }
    }

    private static void rejectPrompt(String promptName) {
        if (promptName != null) {
            throw new InvalidInputException("prompt_name is not supported on this route; it applies to /embed (or"
                    + " prepend the prompt to the text)");
        }
    }

    private static Response withUsage(Response.ResponseBuilder response, String model, Usage usage) {
        return response
                .header("x-model", model)
                .header("x-prompt-tokens", usage.promptTokens())
                .header("x-truncated-inputs", usage.truncatedInputs())
                .build();
    }

    @POST
    @Path("/tokenize")
    public List<List<TeiToken>> tokenize(TeiTokenizeRequest request) {
        if (request == null) {
            throw new InvalidInputException("request body is required");
        }
        boolean special = request.addSpecialTokens() == null || request.addSpecialTokens();
        List<List<TeiToken>> out = new ArrayList<>();
        for (Encoding encoding : service.tokenize(request.model(), InputParser.texts(request.inputs(), "inputs"),
                special)) {
            long[] ids = encoding.getIds();
            String[] tokens = encoding.getTokens();
            long[] specialMask = encoding.getSpecialTokenMask();
            CharSpan[] spans = encoding.getCharTokenSpans();
            List<TeiToken> row = new ArrayList<>(ids.length);
            for (int i = 0; i < ids.length; i++) {
                boolean isSpecial = specialMask[i] == 1;
                CharSpan span = spans[i];
                row.add(new TeiToken(ids[i], tokens[i], isSpecial,
                        isSpecial || span == null ? null : span.getStart(), isSpecial || span == null ? null : span.getEnd()));
            }
            out.add(row);
        }
        return out;
    }
}
