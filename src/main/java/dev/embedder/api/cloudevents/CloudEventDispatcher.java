package dev.embedder.api.cloudevents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embedder.api.funqy.EmbedFunction;
import dev.embedder.api.funqy.EmbedFunctionRequest;
import dev.embedder.api.s3.S3Intakes;
import dev.embedder.error.InvalidInputException;
import jakarta.enterprise.context.ApplicationScoped;

/** Maps a CloudEvent type to the Funqy function of that name, so every binding runs the same code. */
@ApplicationScoped
public class CloudEventDispatcher {

    private final EmbedFunction embed;
    private final S3Intakes embedS3;
    private final ObjectMapper mapper;

    public CloudEventDispatcher(EmbedFunction embed, S3Intakes embedS3, ObjectMapper mapper) {
        this.embed = embed;
        this.embedS3 = embedS3;
        this.mapper = mapper;
    }

    /** The reply's data and HTTP status. */
    public record Dispatched(Object data, int status) {}

    public Dispatched dispatch(String type, JsonNode data) {
        return switch (type) {
            case "embeddings" -> new Dispatched(embed.embed(read(data, EmbedFunctionRequest.class, type)), 200);
            case "embed-s3" -> s3(embedS3.handle(read(data, JsonNode.class, type)));
            default -> throw new InvalidInputException("unknown CloudEvent type '" + type + "'; this service handles: "
                    + "embeddings, embed-s3");
        };
    }

    /**
     * Knative redelivers on 5xx and 429 and never on other 4xx (its data-plane spec), so: a transient failure
     * anywhere in the event answers 503 (redeliver; the objects that succeeded are rewritten identically), an event
     * whose every object failed for good 422 (not redelivered: to the Trigger's dead-letter sink), else 200.
     */
    private static Dispatched s3(S3Intakes.Reply reply) {
        int status = switch (reply.signal()) {
            case RETRY -> 503;
            case REJECTED -> 422;
            case DONE -> 200;
        };
        return new Dispatched(reply.body(), status);
    }

    private <T> T read(JsonNode data, Class<T> type, String eventType) {
        if (data == null || data.isMissingNode() || data.isNull()) {
            throw new InvalidInputException("CloudEvent '" + eventType + "' has no data");
        }
        try {
            return mapper.treeToValue(data, type);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("CloudEvent '" + eventType + "' data does not fit: " + e.getOriginalMessage());
        }
    }
}
