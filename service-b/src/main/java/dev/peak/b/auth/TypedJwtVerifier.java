package dev.peak.b.auth;

import java.util.List;
import java.util.Locale;

import org.jose4j.jwt.consumer.ErrorCodeValidator;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;

import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * SmallRye's verification, then the token's type: {@code typ} must be {@code JWT} (any case, {@code application/}
 * allowed, RFC 7515 §4.1.9), as MicroProfile JWT's token format requires and service-a writes; SmallRye does not
 * look. Another type (an {@code at+jwt} access token or a {@code dpop+jwt} proof from an issuer sharing the keys)
 * is a token made for something else, which explicit typing (RFC 8725 §3.11) exists to refuse; so is a token that
 * does not say. Checked after the signature, so that a forgery is reported as one.
 */
final class TypedJwtVerifier extends JWTCallerPrincipalFactory {

    private final JWTCallerPrincipalFactory verifier;

    TypedJwtVerifier(JWTCallerPrincipalFactory verifier) {
        this.verifier = verifier;
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo context) throws ParseException {
        JWTCallerPrincipal principal = verifier.parse(token, context);
        Object type;
        try {
            type = JsonWebStructure.fromCompactSerialization(token).getHeaders().getObjectHeaderValue("typ");
        } catch (JoseException e) {
            type = null; // not once the signature verified: the verifier parsed the same header
        }
        String text = type instanceof String s ? s.toLowerCase(Locale.ROOT) : null;
        if ("jwt".equals(text) || "application/jwt".equals(text)) {
            return principal;
        }
        String problem = type == null ? "the token's header has no typ" : "the token's typ is not JWT";
        int code = type == null ? ErrorCodes.TYPE_MISSING : ErrorCodes.TYPE_INVALID;
        throw new ParseException(problem, new InvalidJwtException(problem, List.of(new ErrorCodeValidator.Error(code, problem)), null));
    }
}
