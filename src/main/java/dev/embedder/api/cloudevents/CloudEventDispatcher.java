package dev.embedder.api.cloudevents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embedder.api.funqy.EmbedFunction;
import dev.embedder.api.funqy.EmbedFunctionRequest;
import dev.embedder.api.s3.S3EmbedFunction;
import dev.embedder.api.s3.S3EventNotification;
import dev.embedder.error.InvalidInputException;
import jakarta.enterprise.context.ApplicationScoped;

/** Maps a CloudEvent type to the Funqy function of that name, so every binding runs the same code. */
@ApplicationScoped
public class CloudEventDispatcher {

    private final EmbedFunction embed;
    private final S3EmbedFunction embedS3;
    private final ObjectMapper mapper;

    public CloudEventDispatcher(EmbedFunction embed, S3EmbedFunction embedS3, ObjectMapper mapper) {
        this.embed = embed;
        this.embedS3 = embedS3;
        this.mapper = mapper;
    }

    public Object dispatch(String type, JsonNode data) {
        return switch (type) {
            case "embeddings" -> embed.embed(read(data, EmbedFunctionRequest.class, type));
            case "embed-s3" -> embedS3.embedS3(read(data, S3EventNotification.class, type));
            default -> throw new InvalidInputException("unknown CloudEvent type '" + type + "'; this service handles: "
                    + "embeddings, embed-s3");
        };
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
