package dev.peak.b.auth;

import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;

import dev.peak.common.error.ErrorMappers;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;

/**
 * Every rejected request to B answers 401 with an RFC 6750 challenge and the JSON error contract
 * (SmallRye's own 401 has an empty body). The description names the broken rule, never key material.
 */
public class TokenRejectionMapper {

    private static final Logger LOG = Logger.getLogger(TokenRejectionMapper.class);
    static final String REALM = "peak-b";

    /** No token at all: RFC 6750 §3.1 says the challenge then carries no error code. */
    @ServerExceptionMapper
    public Response missingToken(UnauthorizedException e) {
        return Response.fromResponse(ErrorMappers.json(401, "missing_token",
                "this endpoint needs 'Authorization: Bearer <token>' with a token from service-a's POST /token"))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + REALM + "\"")
                .build();
    }

    @ServerExceptionMapper
    public Response invalidToken(AuthenticationFailedException e) {
        String reason = reason(e);
        LOG.debugf(e, "token rejected: %s", reason);
        return Response.fromResponse(ErrorMappers.json(401, "invalid_token", reason))
                .header(HttpHeaders.WWW_AUTHENTICATE,
                        "Bearer realm=\"" + REALM + "\", error=\"invalid_token\", error_description=\"" + reason + "\"")
                .build();
    }

    /**
     * The JWKS file could not be read: SmallRye reads it when a request first needs it, and again on
     * every request until that succeeds, throwing its "SRJWT02xxx" DeploymentException meanwhile. B
     * cannot judge any token yet, which is not the client's fault: 503 (readiness is DOWN too) sends
     * it elsewhere, where a 401 would tell it that its token is bad and a 500 would log a stack trace
     * per request.
     */
    @ServerExceptionMapper
    public Response keysUnavailable(DeploymentException e) {
        if (e.getMessage() == null || !e.getMessage().startsWith("SRJWT")) {
            return ErrorMappers.internalError(e);
        }
        LOG.warnf("cannot verify tokens yet: %s", e.getMessage());
        return Response.fromResponse(ErrorMappers.json(503, "unavailable",
                "this instance cannot read the keys it verifies tokens with yet; retry, or see /q/health/ready"))
                .header(HttpHeaders.RETRY_AFTER, "5")
                .build();
    }

    /** The first rule the token broke, as jose4j classified it; a generic sentence otherwise. */
    static String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidJwtException invalid) {
                if (invalid.hasExpired()) {
                    return "the token has expired";
                }
                if (invalid.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
                    return "the token is not valid yet (nbf)";
                }
                if (invalid.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
                    return "the token has no expiry (exp)";
                }
                if (invalid.hasErrorCode(ErrorCodes.ISSUER_INVALID) || invalid.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
                    return "the token was not issued by the expected issuer";
                }
                if (invalid.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || invalid.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
                    return "the token is not meant for this audience";
                }
                if (invalid.hasErrorCode(ErrorCodes.TYPE_INVALID) || invalid.hasErrorCode(ErrorCodes.TYPE_MISSING)) {
                    return "the token's type (typ) is not JWT";
                }
                if (invalid.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
                    return "the token's signature does not verify";
                }
            }
        }
        return "the token is malformed or not signed by a trusted key with the expected algorithm";
    }
}
