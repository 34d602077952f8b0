package dev.embedder.api.funqy;

import java.util.List;

/**
 * Input of the {@code embeddings} function, as a Lambda event or an HTTP body.
 *
 * @param model      bundle name; omitted means the default text model
 * @param inputs     texts to embed
 * @param images     images to embed instead, as base64 or {@code data:image/...;base64,} URIs
 * @param pooling    {@code mean} or {@code cls}; omitted means the bundle default
 * @param layers     hidden layers to pool, e.g. {@code [-1]} or {@code [-4,-3,-2,-1]} (averaged)
 * @param normalize  L2-normalise (default: the bundle's setting)
 * @param truncate   cut texts over the model's token limit instead of failing (default false)
 * @param dimensions keep the first n components and renormalise
 * @param includeClassToken image token models: average the class token in with the patches
 * @param truncationDirection {@code right} (default) or {@code left}: which end of an over-long text is cut
 * @param tokenEmbeddings return every token's vector of the chosen layer instead of one pooled vector (TEI's
 *                   {@code embed_all}); then {@code embeddings} holds a {@code [tokens][dimension]} array per input
 * @param embeddingType output data type: {@code float32} (default), {@code int8}, {@code uint8}, {@code binary},
 *                   {@code ubinary}
 * @param encodingFormat {@code float} (JSON numbers, default) or {@code base64} (the raw values)
 * @param ranges     int8/uint8 calibration ranges {@code [[min...], [max...]]}; default: over this request's vectors
 * @param promptName one of the text model's prompts (sentence-transformers {@code prompt_name})
 * @param prompt     a prompt text prepended to every input instead
 */
public record EmbedFunctionRequest(String model, List<String> inputs, List<String> images, String pooling,
        List<Integer> layers, Boolean normalize, Boolean truncate, Integer dimensions, Boolean includeClassToken,
        String truncationDirection, Boolean tokenEmbeddings, String embeddingType, String encodingFormat,
        List<List<Float>> ranges, String promptName, String prompt) {}
