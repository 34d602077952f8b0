package dev.embedder.api.cloudevents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.embedder.api.rest.TeiEmbedRequest;
import dev.embedder.api.rest.TeiResource;
import dev.embedder.error.InvalidInputException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/**
 * CloudEvents over HTTP, as Knative Eventing delivers them (a Broker's Trigger posts to the service
 * root). Binary mode carries the attributes in {@code ce-*} headers and the data as the body;
 * structured mode ({@code application/cloudevents+json}) wraps both in one JSON envelope. The event
 * type names the function, as Funqy's Knative binding does, and the reply is an event of type
 * {@code <type>.output}. A JSON post to the root without any CloudEvent attribute is TEI's root route (embed),
 * which Hugging Face clients (e.g. {@code featureExtraction} with an endpoint URL) use.
 *
 * <p>Written here rather than with quarkus-funqy-knative-events because that extension takes over the
 * HTTP root and answered the REST and health routes with 405 in this application.
 */
@Path("/")
public class CloudEventResource {

    static final String STRUCTURED = "application/cloudevents+json";

    private final CloudEventDispatcher dispatcher;
    private final ObjectMapper mapper;
    private final TeiResource tei;

    public CloudEventResource(CloudEventDispatcher dispatcher, ObjectMapper mapper, TeiResource tei) {
        this.dispatcher = dispatcher;
        this.mapper = mapper;
        this.tei = tei;
    }

    private TeiEmbedRequest teiRequest(JsonNode data) {
        if (data == null || !data.isObject()) {
            throw new InvalidInputException("POST / takes a CloudEvent (ce-* headers or application/cloudevents+json)"
                    + " or TEI's embed request, a JSON object with 'inputs'");
        }
        try {
            return mapper.treeToValue(data, TeiEmbedRequest.class);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("invalid TEI embed request: " + e.getOriginalMessage());
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response binary(JsonNode data, @HeaderParam("ce-specversion") String specVersion,
            @HeaderParam("ce-type") String type, @HeaderParam("ce-id") String id,
            @HeaderParam("ce-source") String source) {
        if (specVersion == null && type == null && id == null && source == null) {
            // No CloudEvent attribute at all: TEI's root route, which Hugging Face clients post {"inputs": ...} to.
            return tei.embed(teiRequest(data));
        }
        requireAttributes(specVersion, type, id, source);
        CloudEventDispatcher.Dispatched result = dispatcher.dispatch(type, data);
        return Response.status(result.status()).entity(result.data())
                .header("ce-specversion", "1.0")
                .header("ce-id", UUID.randomUUID().toString())
                .header("ce-source", "embedder")
                .header("ce-type", type + ".output")
                .build();
    }

    @POST
    @Consumes(STRUCTURED)
    @Produces(STRUCTURED)
    public Response structured(JsonNode envelope, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        if (envelope == null || !envelope.isObject()) {
            throw new InvalidInputException("a structured CloudEvent must be a JSON object");
        }
        String type = text(envelope, "type");
        requireAttributes(text(envelope, "specversion"), type, text(envelope, "id"), text(envelope, "source"));
        CloudEventDispatcher.Dispatched result = dispatcher.dispatch(type, envelope.path("data"));
        var reply = mapper.createObjectNode()
                .put("specversion", "1.0")
                .put("id", UUID.randomUUID().toString())
                .put("source", "embedder")
                .put("type", type + ".output")
                .put("datacontenttype", MediaType.APPLICATION_JSON);
        reply.set("data", mapper.valueToTree(result.data()));
        return Response.status(result.status()).entity(reply).type(STRUCTURED).build();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static void requireAttributes(String specVersion, String type, String id, String source) {
        if (specVersion == null || type == null || id == null || source == null) {
            throw new InvalidInputException("not a CloudEvent: specversion, type, id and source are required"
                    + " (ce-* headers in binary mode)");
        }
        if (!specVersion.startsWith("1.")) {
            throw new InvalidInputException("unsupported CloudEvents specversion '" + specVersion + "', expected 1.0");
        }
    }
}
