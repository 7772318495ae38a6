package dev.peak.a.token;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.peak.common.error.ApiException;
import dev.peak.common.work.WorkFunction;

/** RI2, request 1: {@code POST /token} gives the client a token that service-b will honour. */
@Path("/token")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TokenResource {

    static final String DEFAULT_SUBJECT = "anonymous";
    static final int MAX_SUBJECT_LENGTH = 256;

    private final TokenIssuer issuer;

    public TokenResource(TokenIssuer issuer) {
        this.issuer = issuer;
    }

    @POST
    public TokenResponse token(TokenRequest request) {
        String subject = request == null || request.subject() == null ? DEFAULT_SUBJECT : request.subject();
        if (subject.isBlank() || subject.length() > MAX_SUBJECT_LENGTH) {
            throw ApiException.badRequest("invalid_subject",
                    "subject must be 1 to " + MAX_SUBJECT_LENGTH + " characters, not blank");
        }
        long cost = request == null || request.cost() == null ? WorkFunction.MIN_COST : request.cost();
        WorkFunction.checkRange(cost);
        return issuer.issue(subject, (int) cost);
    }
}
