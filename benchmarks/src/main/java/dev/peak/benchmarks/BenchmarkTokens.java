package dev.peak.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.nimbusds.jose.jwk.JWKSet;

import dev.peak.a.token.SigningKeys;
import dev.peak.a.token.TokenIssuer;
import dev.peak.common.keys.KeySetGenerator;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;

/**
 * Tokens signed by service-a's own {@link TokenIssuer} and the verification settings service-b's
 * {@code mp.jwt.verify.*} amount to, so the benchmarks measure the services' code, not a copy of it.
 */
final class BenchmarkTokens {

    static final String ISSUER = "peak-a";
    static final String AUDIENCE = "peak-b";
    /** Far longer than a run (service-a's default is 60 s), so no token expires while it is measured. */
    static final long LIFESPAN_SECONDS = 3 * 3600;

    private final SigningKeys keys;
    private final TokenIssuer issuer;
    private final TokenIssuer wrongAudienceIssuer;

    /** A fresh key set from {@code make keys}' own generator, holding one key for the algorithm. */
    BenchmarkTokens(String algorithm) {
        String kid = algorithm.toLowerCase(Locale.ROOT) + "-bench";
        Path dir;
        try {
            dir = Files.createTempDirectory("peak-bench-keys");
            KeySetGenerator.write(new JWKSet(List.of(KeySetGenerator.generate(algorithm, kid))), dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        keys = new SigningKeys(dir.resolve(KeySetGenerator.PRIVATE_SET).toString(), kid, algorithm);
        if (keys.load() == null) {
            throw new IllegalStateException(keys.problem());
        }
        issuer = new TokenIssuer(keys, ISSUER, AUDIENCE, LIFESPAN_SECONDS);
        wrongAudienceIssuer = new TokenIssuer(keys, ISSUER, "not-" + AUDIENCE, LIFESPAN_SECONDS);
    }

    String issue(String subject, int cost) {
        return issuer.issue(subject, cost).token();
    }

    String issueForAnotherAudience() {
        return wrongAudienceIssuer.issue("bench-user", 1).token();
    }

    /** service-b's settings: the published JWKS (key found by kid), issuer, audience, one algorithm. */
    JWTAuthContextInfo verificationContext() {
        JWTAuthContextInfo context = new JWTAuthContextInfo();
        context.setPublicKeyContent(keys.load().publicJwks());
        context.setIssuedBy(ISSUER);
        context.setExpectedAudience(Set.of(AUDIENCE));
        context.setSignatureAlgorithm(Set.of(keys.load().algorithm()));
        return context;
    }
}
