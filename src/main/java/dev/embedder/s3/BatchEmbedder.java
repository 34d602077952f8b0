package dev.embedder.s3;

import dev.embedder.error.EmbedderException;
import dev.embedder.error.InferenceException;
import dev.embedder.error.InputTooLargeException;
import dev.embedder.error.InvalidInputException;
import dev.embedder.service.EmbeddingResult;
import dev.embedder.service.EmbeddingService;
import dev.embedder.service.ImageEmbeddingRequest;
import dev.embedder.service.PoolingOverrides;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Embeds several images in one {@link EmbeddingService#embedImages} call (one inference), while keeping one
 * undecodable or oversized image from failing the others. The service rejects a whole batch for one bad image,
 * naming it as {@code image <i>: ...}; that image is then marked failed and the rest is sent again. Only the
 * images before the bad one were preprocessed in vain, and nothing was run through the model.
 */
@ApplicationScoped
public class BatchEmbedder {

    private static final Pattern NAMED_IMAGE = Pattern.compile("^image (\\d+): (.*)$", Pattern.DOTALL);

    private final EmbeddingService service;

    public BatchEmbedder(EmbeddingService service) {
        this.service = service;
    }

    /** A vector, or why there is none; one per input image, in input order. */
    public record Embedded(float[] vector, RecordFailure failure) {}

    /** Model and width of the vectors, plus one {@link Embedded} per image. */
    public record Batch(String model, int dimension, List<Embedded> items) {}

    /**
     * @throws EmbedderException for failures that concern the call rather than an image (model unknown or
     *                           not loaded yet): retrying image by image could not help
     */
    public Batch embed(String model, List<byte[]> images) {
        Embedded[] out = new Embedded[images.size()];
        List<Integer> all = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            all.add(i);
        }
        // Groups of image indices still to embed, each in one call; normally just the one group of all.
        Deque<List<Integer>> groups = new ArrayDeque<>();
        groups.push(all);
        String resultModel = null;
        int dimension = 0;
        while (!groups.isEmpty()) {
            List<Integer> group = groups.pop();
            try {
                EmbeddingResult result = embedAll(model, images, group);
                for (int j = 0; j < group.size(); j++) {
                    out[group.get(j)] = new Embedded(result.vectors().get(j), null);
                }
                resultModel = result.model();
                dimension = result.dimension();
            } catch (InvalidInputException | InputTooLargeException | InferenceException e) {
                Matcher named = NAMED_IMAGE.matcher(e.getMessage() == null ? "" : e.getMessage());
                int culprit = named.matches() ? Integer.parseInt(named.group(1)) : -1;
                if (culprit >= 0 && culprit < group.size()) {
                    List<Integer> rest = new ArrayList<>(group);
                    out[rest.remove(culprit)] = new Embedded(null, failure(e, named.group(2)));
                    if (!rest.isEmpty()) {
                        groups.push(rest);
                    }
                } else if (group.size() > 1) {
                    // The error names no image: find the bad ones by embedding each on its own.
                    group.forEach(i -> groups.push(List.of(i)));
                } else {
                    out[group.get(0)] = new Embedded(null, failure(e, e.getMessage()));
                }
            }
        }
        return new Batch(resultModel, dimension, List.of(out));
    }

    /** A bad or oversized image fails the same way every time; an inference error may not (memory, a crashed run). */
    private static RecordFailure failure(EmbedderException e, String message) {
        return e instanceof InferenceException ? RecordFailure.transientError(e.type(), message)
                : RecordFailure.error(e.type(), message);
    }

    private EmbeddingResult embedAll(String model, List<byte[]> images, List<Integer> indices) {
        List<byte[]> batch = new ArrayList<>(indices.size());
        for (int i : indices) {
            batch.add(images.get(i));
        }
        return service.embedImages(new ImageEmbeddingRequest(model, batch, PoolingOverrides.NONE, null));
    }
}
