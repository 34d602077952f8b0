package dev.embedder.api.rest;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import dev.embedder.error.InvalidInputException;
import dev.embedder.service.EmbeddingResult;
import dev.embedder.service.EmbeddingService;
import dev.embedder.service.ModelRegistry;
import dev.embedder.service.PoolingOverrides;
import dev.embedder.text.TextPreprocessor;
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
    private final ModelRegistry registry;

    public TeiResource(EmbeddingService service, ModelRegistry registry) {
        this.service = service;
        this.registry = registry;
    }

    @POST
    @Path("/embed")
    public Response embed(TeiEmbedRequest request) {
        if (request == null) {
            throw new InvalidInputException("request body is required");
        }
        if (request.truncationDirection() != null && !request.truncationDirection().equalsIgnoreCase("right")) {
            throw new InvalidInputException("truncation_direction '" + request.truncationDirection()
                    + "' is not supported; texts are truncated on the right");
        }
        EmbeddingResult result = service.embedStrings(request.model(), InputParser.texts(request.inputs(), "inputs"),
                new PoolingOverrides(request.pooling(), request.layers(),
                        request.normalize() == null ? Boolean.TRUE : request.normalize(), request.includeClassToken()),
                Boolean.TRUE.equals(request.truncate()), request.dimensions(), request.promptName(), request.prompt());
        return Response.ok(result.vectors())
                .header("x-model", result.model())
                .header("x-prompt-tokens", result.usage().promptTokens())
                .header("x-truncated-inputs", result.usage().truncatedInputs())
                .build();
    }

    @POST
    @Path("/tokenize")
    public List<List<TeiToken>> tokenize(TeiTokenizeRequest request) {
        if (request == null) {
            throw new InvalidInputException("request body is required");
        }
        TextPreprocessor tokenizer = registry.text(request.model()).preprocessor();
        boolean special = request.addSpecialTokens() == null || request.addSpecialTokens();
        List<List<TeiToken>> out = new ArrayList<>();
        List<String> texts = InputParser.texts(request.inputs(), "inputs");
        // The same limits as embedding: /tokenize must not be a way round max-text-chars or max-inputs.
        service.validateInputs(texts);
        for (String text : texts) {
            Encoding encoding = tokenizer.encode(text, special);
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
