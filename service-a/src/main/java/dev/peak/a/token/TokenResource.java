package dev.peak.a.token;

import java.io.IOException;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.peak.common.error.ApiException;
import dev.peak.common.work.WorkFunction;

/** RI2, request 1: {@code POST /token} gives the client a token that service-b will honour. */
@Path("/token")
public class TokenResource {

    static final String DEFAULT_SUBJECT = "anonymous";
    static final int MAX_SUBJECT_LENGTH = 256;

    private final TokenIssuer issuer;
    private final ObjectMapper json;

    public TokenResource(TokenIssuer issuer, ObjectMapper json) {
        this.issuer = issuer;
        this.json = json;
    }

    /**
     * The body is optional (a bare {@code POST /token} is the load test's common case), so it is read
     * here rather than by JAX-RS, which would refuse a request without a JSON content type.
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public TokenResponse token(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) throws IOException {
        TokenRequest request = parse(contentType, body);
        String subject = request.subject() == null ? DEFAULT_SUBJECT : request.subject();
        if (subject.isBlank() || subject.length() > MAX_SUBJECT_LENGTH) {
            throw ApiException.badRequest("invalid_subject",
                    "subject must be 1 to " + MAX_SUBJECT_LENGTH + " characters, not blank");
        }
        long cost = request.cost() == null ? WorkFunction.MIN_COST : request.cost();
        WorkFunction.checkRange(cost);
        return issuer.issue(subject, (int) cost);
    }

    private TokenRequest parse(String contentType, byte[] body) throws IOException {
        if (body == null || body.length == 0) {
            return new TokenRequest(null, null);
        }
        if (contentType != null && !MediaType.valueOf(contentType).isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            throw new ApiException(415, "unsupported_media_type", "the body of POST /token must be application/json");
        }
        return json.readValue(body, TokenRequest.class);
    }
}
