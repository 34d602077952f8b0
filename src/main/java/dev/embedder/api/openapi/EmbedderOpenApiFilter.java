package dev.embedder.api.openapi;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.examples.Example;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Completes the document SmallRye generates from the REST resources (plus {@code META-INF/openapi.yaml} for the
 * Funqy routes) with what scanning cannot know, so the REST resources carry no documentation annotations: the
 * error responses every route can give and their two body shapes (OpenAI's under {@code /v1}), the wire types
 * Jackson reads as a {@code JsonNode} (a string or an array of strings), the fields every answer always has,
 * TEI's timing headers, tags and request examples. {@code OpenApiConformanceTest} checks real responses against
 * the result.
 */
public class EmbedderOpenApiFilter implements OASFilter {

    private static final String ERROR = "#/components/schemas/Error";
    private static final String OPENAI_ERROR = "#/components/schemas/OpenAiError";
    private static final Map<String, String> STATUS = Map.of(
            "400", "Invalid input or JSON; the message names the field or input index",
            "401", "Missing or wrong API key (only when embedder.security.api-keys is set)",
            "404", "Unknown model",
            "413", "Too many inputs, a text over the token limit without truncate, an image or body too large",
            "429", "The embedding queue is full; retry later",
            "500", "Inference failed",
            "503", "Models are not loaded (yet)");
    private static final List<String> EMBEDDING_ROUTES = List.of("/v1/embeddings", "/embed", "/embed-image",
            "/embeddings", "/embed_all", "/similarity");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Map<String, Schema> schemas = openAPI.getComponents().getSchemas();
        Schema inputs = OASFactory.createSchema().description("One text, or an array of texts (with an image model:"
                + " base64 images or data URIs)")
                .addOneOf(OASFactory.createSchema().addType(SchemaType.STRING))
                .addOneOf(OASFactory.createSchema().addType(SchemaType.ARRAY)
                        .items(OASFactory.createSchema().addType(SchemaType.STRING)));
        replaceJsonNode(schemas.get("OpenAiEmbeddingRequest"), "input", inputs);
        replaceJsonNode(schemas.get("TeiEmbedRequest"), "inputs", inputs);
        replaceJsonNode(schemas.get("TeiTokenizeRequest"), "inputs", inputs);
        Schema item = schemas.get("Item");
        if (item != null) {
            item.addProperty("embedding", OASFactory.createSchema()
                    .description("float array, or base64 of little-endian float32 with encoding_format=base64")
                    .addOneOf(vector())
                    .addOneOf(OASFactory.createSchema().addType(SchemaType.STRING).format("byte")));
        }
        require(schemas.get("OpenAiEmbeddingResponse"), "object", "data", "model", "usage");
        require(item, "object", "index", "embedding");
        require(schemas.get("OpenAiUsage"), "prompt_tokens", "total_tokens");
        require(schemas.get("ImageEmbedding"), "model", "dimension", "embedding");
        require(schemas.get("TeiToken"), "id", "text", "special");
        nullable(schemas.get("TeiToken"), "start", "stop");
        require(schemas.get("Info"), "model_id", "dimension", "models");
        require(schemas.get("ModelInfo"), "name", "modality", "dimension");
        // Jackson writes null fields out; a property that is not always present may be null.
        schemas.forEach((name, schema) -> optionalMeansNullable(schema));
        openAPI.getComponents().removeSchema("JsonNode");
        openAPI.getComponents().removeSchema("JsonNodeType");

        openAPI.getPaths().getPathItems().forEach((path, pathItem) -> {
            for (Map.Entry<PathItem.HttpMethod, Operation> entry : pathItem.getOperations().entrySet()) {
                decorate(path, entry.getKey(), entry.getValue());
            }
        });
        cloudEvents(openAPI.getPaths().getPathItem("/"));
        Operation embed = post(openAPI, "/embed");
        if (embed != null) {
            content(embed.getResponses().getAPIResponse("200"), "application/json",
                    OASFactory.createSchema().addType(SchemaType.ARRAY).items(vector())
                            .description("One vector per input, in input order"));
            embed.getResponses().getAPIResponse("200")
                    .addHeader("x-prompt-tokens", header("Tokens in the request", SchemaType.INTEGER))
                    .addHeader("x-truncated-inputs", header("Inputs cut to the model's limit", SchemaType.INTEGER));
        }
        Operation embedAll = post(openAPI, "/embed_all");
        if (embedAll != null) {
            content(embedAll.getResponses().getAPIResponse("200"), "application/json",
                    OASFactory.createSchema().addType(SchemaType.ARRAY).items(OASFactory.createSchema()
                            .addType(SchemaType.ARRAY).items(vector()))
                            .description("Per input, one vector per token"));
        }
        Operation similarity = post(openAPI, "/similarity");
        if (similarity != null) {
            content(similarity.getResponses().getAPIResponse("200"), "application/json",
                    OASFactory.createSchema().addType(SchemaType.ARRAY)
                            .items(OASFactory.createSchema().addType(SchemaType.NUMBER))
                            .description("Cosine similarity of source_sentence to each of sentences"));
        }
        example(post(openAPI, "/v1/embeddings"), "texts",
                Map.of("input", List.of("A man is eating food.", "A man is eating a piece of bread."),
                        "model", "all-minilm-l6-v2"));
        example(post(openAPI, "/embed"), "texts", Map.of("inputs", List.of("What is Deep Learning?"), "normalize", true));
        example(post(openAPI, "/tokenize"), "text", Map.of("inputs", "What is Deep Learning?"));
    }

    private static void decorate(String path, PathItem.HttpMethod method, Operation operation) {
        operation.setTags(List.of(tag(path)));
        APIResponses responses = operation.getResponses();
        boolean openAi = path.equals("/v1") || path.startsWith("/v1/");
        List<String> codes = method == PathItem.HttpMethod.GET ? List.of("401") : List.copyOf(new java.util.TreeSet<>(STATUS.keySet()));
        for (String code : codes) {
            APIResponse response = OASFactory.createAPIResponse().description(STATUS.get(code));
            content(response, "application/json", OASFactory.createSchema().ref(openAi ? OPENAI_ERROR : ERROR));
            responses.addAPIResponse(code, response);
        }
        APIResponse ok = responses.getAPIResponse("200");
        if (ok != null && EMBEDDING_ROUTES.contains(path)) {
            ok.addHeader("x-tokenization-time", header("Tokenization, ms", SchemaType.INTEGER))
                    .addHeader("x-queue-time", header("Wait in the batcher's queue, ms", SchemaType.INTEGER))
                    .addHeader("x-inference-time", header("Model runs and pooling, ms", SchemaType.INTEGER))
                    .addHeader("x-total-time", header("The whole request in the service, ms", SchemaType.INTEGER));
        }
    }

    /** CloudEvents at the root: the reply's data is the named function's result. */
    private static void cloudEvents(PathItem root) {
        if (root == null || root.getPOST() == null) {
            return;
        }
        Operation post = root.getPOST();
        post.setSummary("A CloudEvent (Knative Eventing): ce-type names the function (embeddings, embed-s3); the"
                + " reply is an event of type <type>.output");
        Schema data = OASFactory.createSchema().description("The function's input (EmbedFunctionRequest or"
                + " S3EventNotification); without ce-* headers a TeiEmbedRequest");
        Schema result = OASFactory.createSchema()
                .addOneOf(OASFactory.createSchema().ref("#/components/schemas/EmbedFunctionResponse"))
                .addOneOf(OASFactory.createSchema().ref("#/components/schemas/S3EmbedResult"));
        // Without CloudEvent headers the root is TEI's: the same body and answer as POST /embed.
        Schema plain = OASFactory.createSchema().description("CloudEvents binary mode: the function's result;"
                + " without ce-* headers (TEI's root route): one vector per input, as POST /embed")
                .addOneOf(OASFactory.createSchema().addType(SchemaType.ARRAY).items(vector()))
                .addOneOf(OASFactory.createSchema().ref("#/components/schemas/EmbedFunctionResponse"))
                .addOneOf(OASFactory.createSchema().ref("#/components/schemas/S3EmbedResult"));
        Schema envelope = cloudEventEnvelope().required(List.of("specversion", "id", "source", "type"));
        Content request = OASFactory.createContent()
                .addMediaType("application/json", OASFactory.createMediaType().schema(data))
                .addMediaType("application/cloudevents+json", OASFactory.createMediaType()
                        .schema(envelope.addProperty("data", data)));
        post.getRequestBody().setContent(request);
        Schema replyEnvelope = cloudEventEnvelope().addProperty("data", result)
                .required(List.of("specversion", "id", "source", "type", "data"));
        APIResponse permanent = OASFactory.createAPIResponse().description("embed-s3 as a CloudEvent: a record"
                + " failed permanently (not worth redelivering); the body lists every record's outcome");
        content(permanent, "application/json", OASFactory.createSchema().ref("#/components/schemas/S3EmbedResult"));
        post.getResponses().addAPIResponse("422", permanent);
        APIResponse ok = post.getResponses().getAPIResponse("200");
        ok.setDescription("Binary mode: the result as the body, the reply's attributes in ce-* headers (ce-type"
                + " <type>.output); structured mode: an envelope");
        ok.setContent(OASFactory.createContent()
                .addMediaType("application/json", OASFactory.createMediaType().schema(plain))
                .addMediaType("application/cloudevents+json", OASFactory.createMediaType().schema(replyEnvelope)));
    }

    private static String tag(String path) {
        if (path.startsWith("/v1")) {
            return "OpenAI";
        }
        return switch (path) {
            case "/embed", "/embed_all", "/similarity", "/tokenize", "/info" -> "TEI";
            case "/embed-image" -> "Images";
            case "/embeddings", "/embed-s3" -> "Functions";
            case "/" -> "CloudEvents";
            default -> "Other";
        };
    }

    private static Schema vector() {
        return OASFactory.createSchema().addType(SchemaType.ARRAY)
                .items(OASFactory.createSchema().addType(SchemaType.NUMBER));
    }

    private static Operation post(OpenAPI openAPI, String path) {
        PathItem item = openAPI.getPaths().getPathItem(path);
        return item == null ? null : item.getPOST();
    }

    private static void replaceJsonNode(Schema schema, String property, Schema replacement) {
        if (schema != null && schema.getProperties() != null && schema.getProperties().containsKey(property)) {
            schema.addProperty(property, replacement);
        }
    }

    private static void require(Schema schema, String... properties) {
        if (schema != null) {
            schema.setRequired(List.of(properties));
        }
    }

    private static void optionalMeansNullable(Schema schema) {
        if (schema.getProperties() == null) {
            return;
        }
        List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
        schema.getProperties().forEach((property, s) -> {
            if (!required.contains(property) && s.getType() != null && !s.getType().contains(SchemaType.NULL)) {
                s.addType(SchemaType.NULL);
            }
        });
    }

    private static void nullable(Schema schema, String... properties) {
        if (schema == null || schema.getProperties() == null) {
            return;
        }
        for (String p : properties) {
            Schema s = schema.getProperties().get(p);
            if (s != null) {
                s.addType(SchemaType.NULL);
            }
        }
    }

    private static void content(APIResponse response, String mediaType, Schema schema) {
        if (response == null) {
            return;
        }
        Content content = response.getContent() == null ? OASFactory.createContent() : response.getContent();
        MediaType media = OASFactory.createMediaType().schema(schema);
        content.addMediaType(mediaType, media);
        response.setContent(content);
    }

    private static Header header(String description, SchemaType type) {
        return OASFactory.createHeader().description(description).schema(OASFactory.createSchema().addType(type));
    }

    private static void example(Operation operation, String name, Object value) {
        if (operation == null || operation.getRequestBody() == null || operation.getRequestBody().getContent() == null) {
            return;
        }
        MediaType json = operation.getRequestBody().getContent().getMediaType("application/json");
        if (json != null) {
            Example example = OASFactory.createExample().value(value);
            json.addExample(name, example);
        }
    }

    /** A structured-mode CloudEvent's context attributes (CloudEvents 1.0), without its data. */
    private static Schema cloudEventEnvelope() {
        Schema envelope = OASFactory.createSchema().addType(SchemaType.OBJECT);
        for (String attribute : List.of("specversion", "id", "source", "type", "datacontenttype")) {
            envelope.addProperty(attribute, OASFactory.createSchema().addType(SchemaType.STRING));
        }
        return envelope;
    }
}
