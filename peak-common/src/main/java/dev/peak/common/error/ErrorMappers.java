package dev.peak.common.error;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into the JSON error contract, so no response ever carries a stack trace or an
 * HTML page.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response apiError(ApiException e) {
        Response.ResponseBuilder response = Response.fromResponse(json(e.status(), e.code(), e.getMessage()));
        e.headers().forEach(response::header);
        return response.build();
    }

    @ServerExceptionMapper
    public Response webError(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status == 400 && e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json);
        }
        return json(status, codeFor(status), messageFor(status, e));
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return json(400, "invalid_json", "the request body is not valid JSON for this endpoint: " + e.getOriginalMessage());
    }

    /** Overrides Quarkus' built-in mapper for this subtype, which answers a different JSON shape. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        return internalError(e);
    }

    /** A failure nobody planned for: logged with its stack trace, answered without it. */
    public static Response internalError(Throwable e) {
        LOG.error("unexpected failure", e);
        return json(500, "internal_error", "the server failed to handle the request; see its log");
    }

    public static Response json(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ErrorBody(code, message)).build();
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 415 -> "unsupported_media_type";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal_error" : "http_" + status;
        };
    }

    private static String messageFor(int status, WebApplicationException e) {
        // Framework messages for 4xx are safe and helpful (e.g. which JSON token failed to parse);
        // 5xx messages may leak internals.
        String message = e.getMessage();
        if (status >= 500 || message == null || message.isBlank()) {
            return Response.Status.fromStatusCode(status) != null
                    ? Response.Status.fromStatusCode(status).getReasonPhrase()
                    : "HTTP " + status;
        }
        return message;
    }
}
