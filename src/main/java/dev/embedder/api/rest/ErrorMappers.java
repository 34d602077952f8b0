package dev.embedder.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.embedder.api.ErrorBodies;
import dev.embedder.api.ErrorMapping;
import dev.embedder.api.JsonErrors;
import dev.embedder.error.EmbedderException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every failure on the REST routes into the one JSON error shape, with the right status. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response embedderError(EmbedderException e, UriInfo uri) {
        return json(uri, ErrorMapping.status(e), e.getMessage(), e.type());
    }

    // Quarkus REST ships its own mappers for Jackson's mismatch exceptions; the most specific mapper
    // wins, so these two are declared by their exact types to take over from them.
    @ServerExceptionMapper
    public Response wrongType(InvalidFormatException e, UriInfo uri) {
        return badJson(e, uri);
    }

    @ServerExceptionMapper
    public Response wrongShape(MismatchedInputException e, UriInfo uri) {
        return badJson(e, uri);
    }

    /** Malformed JSON, or JSON whose values have the wrong type for a field. */
    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e, UriInfo uri) {
        return json(uri, 400, JsonErrors.describe(e), JsonErrors.TYPE);
    }

    /** Framework errors (unsupported media type, body too large, unknown route) keep their status. */
    @ServerExceptionMapper
    public Response webError(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return badJson(json, uri);
        }
        return json(uri, status, e.getMessage(), status == 404 ? "not_found" : "http_error");
    }

    private static Response json(UriInfo uri, int status, String message, String type) {
        ErrorBodies.noteType(type);
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(ErrorBodies.forPath(uri.getPath(), message, type)).build();
    }
}
