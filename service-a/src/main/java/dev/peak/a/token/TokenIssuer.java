package dev.peak.a.token;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.peak.common.error.ApiException;
import io.smallrye.jwt.build.Jwt;

/**
 * Signs the tokens that let a client carry A's authorisation to B (RI2): issuer, audience and
 * lifespan come from SmallRye JWT's own {@code smallrye.jwt.new-token.*} keys.
 */
@ApplicationScoped
public class TokenIssuer {

    private final SigningKeys keys;
    private final String issuer;
    private final String audience;
    private final long lifespanSeconds;

    public TokenIssuer(SigningKeys keys,
            @ConfigProperty(name = "smallrye.jwt.new-token.issuer", defaultValue = "peak-a") String issuer,
            @ConfigProperty(name = "smallrye.jwt.new-token.audience", defaultValue = "peak-b") String audience,
            @ConfigProperty(name = "smallrye.jwt.new-token.lifespan", defaultValue = "60") long lifespanSeconds) {
        this.keys = keys;
        this.issuer = issuer;
        this.audience = audience;
        this.lifespanSeconds = lifespanSeconds;
    }

    public TokenResponse issue(String subject, int cost) {
        SigningKeys.Loaded signing = keys.load();
        if (signing == null) {
            throw new ApiException(503, "keys_unavailable", "service-a cannot sign tokens: " + keys.problem());
        }
        String token = Jwt.claims()
                .issuer(issuer)
                .audience(audience)
                .subject(subject)
                .issuedAt(System.currentTimeMillis() / 1000)
                .expiresIn(lifespanSeconds)
                .claim("jti", UUID.randomUUID().toString())
                .claim("cost", cost)
                .jws()
                .keyId(signing.kid())
                .algorithm(signing.algorithm())
                .sign(signing.signingKey());
        return new TokenResponse(token, "Bearer", lifespanSeconds, audience);
    }
}
