package dev.peak.b.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;

import dev.peak.b.TestKeys;
import dev.peak.b.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every token B must not trust answers 401 with an RFC 6750 challenge and the JSON error contract,
 * never 200 and never 500 (docs/architecture.md: service-b). One row per rule; each forges exactly one thing
 * and names the reason B must give, so a row cannot pass by being rejected for another reason.
 */
@QuarkusTest
@WithTestResource(TestKeys.class)
class TokenRejectionTest {

    private static final String CHALLENGE = "Bearer realm=\"peak-b\"";

    private static final String UNTRUSTED = "the token is malformed or not signed by a trusted key with the expected algorithm";
    private static final String BAD_SIGNATURE = "the token's signature does not verify";
    private static final String EXPIRED = "the token has expired";
    private static final String NOT_YET_VALID = "the token is not valid yet (nbf)";
    private static final String NO_EXPIRY = "the token has no expiry (exp)";
    private static final String WRONG_ISSUER = "the token was not issued by the expected issuer";
    private static final String WRONG_AUDIENCE = "the token is not meant for this audience";
    private static final String WRONG_TYPE = "the token's type (typ) is not JWT";

    private static final String ATTACKER_KID = "attacker-1";

    @Test
    void workRejectsRequestWithoutToken() {
        // RFC 6750 §3.1: a request without credentials gets a challenge with no error code.
        given().when().get("/work")
                .then().statusCode(401)
                .header("WWW-Authenticate", equalTo(CHALLENGE))
                .contentType("application/json")
                .body("error", equalTo("missing_token"))
                .body("message", containsString("Bearer"));
    }

    @Test
    void workRejectsNonBearerScheme() {
        given().header("Authorization", "Basic " + Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8)))
                .when().get("/work")
                .then().statusCode(401)
                .header("WWW-Authenticate", equalTo(CHALLENGE))
                .contentType("application/json")
                .body("error", equalTo("missing_token"));
    }

    @Test
    void workIgnoresTokenInQueryString() {
        // RFC 6750 §2.3 allows it, but URLs end up in access logs: B reads the header only.
        given().queryParam("access_token", Tokens.valid())
                .when().get("/work")
                .then().statusCode(401)
                .header("WWW-Authenticate", equalTo(CHALLENGE))
                .body("error", equalTo("missing_token"));
    }

    @Test
    void workRejectsBearerSchemeWithoutToken() {
        given().header("Authorization", "Bearer ")
                .when().get("/work")
                .then().statusCode(401)
                .header("WWW-Authenticate", equalTo(CHALLENGE))
                .contentType("application/json")
                .body("error", equalTo("missing_token"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"JWT", "jwt", "application/jwt"})
    void workAcceptsTypJwtInAnyCaseAndWithItsMediaTypePrefix(String type) {
        String token = Tokens.sign(Tokens.header(JWSAlgorithm.ES256, TestKeys.CURRENT_KID).type(new JOSEObjectType(type)),
                Tokens.claims().build(), Tokens.trustedKey(TestKeys.CURRENT_KID));
        given().header("Authorization", "Bearer " + token).when().get("/work").then().statusCode(200);
    }

    /** RFC 6750 §2.1: {@code credentials = "Bearer" 1*SP b64token}, so more than one space is a valid header. */
    @Test
    void workAcceptsBearerFollowedBySeveralSpaces() {
        given().header("Authorization", "Bearer   " + Tokens.valid()).when().get("/work").then().statusCode(200);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileTokens")
    void workRejectsHostileToken(Supplier<String> token, String reason) {
        given().header("Authorization", "Bearer " + token.get())
                .when().get("/work")
                .then().statusCode(401)
                .header("WWW-Authenticate",
                        equalTo(CHALLENGE + ", error=\"invalid_token\", error_description=\"" + reason + "\""))
                .contentType("application/json")
                .body("error", equalTo("invalid_token"))
                .body("message", equalTo(reason));
    }

    /** Tokens are minted lazily: the key set exists only once the application (and TestKeys) has started. */
    static Stream<Arguments> hostileTokens() {
        return Stream.of(
                // Not a JWS at all
                row("workRejectsGarbageToken", UNTRUSTED, () -> "not-a-jwt"),
                row("workRejectsTokenOfEmptyParts", UNTRUSTED, () -> ".."),

                // Signature does not match header and payload
                row("workRejectsTokenWithAlteredSignature", BAD_SIGNATURE, () -> {
                    String token = Tokens.valid();
                    byte[] signature = Base64URL.from(token.substring(token.lastIndexOf('.') + 1)).decode();
                    signature[signature.length / 2] ^= 0x01;
                    return Tokens.withSignature(token, signature);
                }),
                row("workRejectsAllZeroEcdsaSignature (CVE-2022-21449)", BAD_SIGNATURE,
                        () -> Tokens.withSignature(Tokens.valid(), new byte[64])),
                row("workRejectsPayloadChangedAfterSigning", BAD_SIGNATURE, () -> {
                    String token = Tokens.valid();
                    return Tokens.withPayload(token,
                            new JWTClaimsSet.Builder(Tokens.claimsOf(token)).claim("cost", 100_000).build());
                }),

                // Algorithm confusion: only ES256 with a key from the JWKS may verify
                row("workRejectsUnsecuredToken (alg none)", UNTRUSTED,
                        () -> new PlainJWT(Tokens.claims().build()).serialize()),
                row("workRejectsTokenSignedWithPublicKeyPemAsHmacSecret", UNTRUSTED,
                        () -> Tokens.signHs256(Tokens.claims().build(), TestKeys.CURRENT_KID,
                                utf8(Tokens.publicPem(TestKeys.CURRENT_KID)))),
                row("workRejectsTokenSignedWithPublicJwkAsHmacSecret", UNTRUSTED,
                        () -> Tokens.signHs256(Tokens.claims().build(), TestKeys.CURRENT_KID,
                                utf8(Tokens.trustedKey(TestKeys.CURRENT_KID).toPublicJWK().toJSONString()))),
                row("workRejectsTokenSignedWithJwksFileAsHmacSecret", UNTRUSTED,
                        () -> Tokens.signHs256(Tokens.claims().build(), TestKeys.CURRENT_KID, publicKeySetBytes())),
                row("workRejectsAlgorithmOtherThanConfigured (trusted RS256 key)", UNTRUSTED,
                        () -> Tokens.sign(Tokens.claims(), TestKeys.RSA_KID)),

                // Key selection: the kid must name a key in B's own JWKS, and that key must have signed
                row("workRejectsTokenSignedByAttackerKeyUnderTrustedKid", BAD_SIGNATURE,
                        () -> Tokens.sign(Tokens.header(JWSAlgorithm.ES256, TestKeys.CURRENT_KID), Tokens.claims().build(),
                                Tokens.attackerKey(TestKeys.CURRENT_KID))),
                row("workRejectsTokenSignedByAttackerKeyUnderUnknownKid", UNTRUSTED,
                        () -> Tokens.sign(Tokens.header(JWSAlgorithm.ES256, ATTACKER_KID), Tokens.claims().build(),
                                Tokens.attackerKey(ATTACKER_KID))),
                row("workRejectsTrustedKeyUnderUnknownKid", UNTRUSTED,
                        () -> Tokens.sign(Tokens.header(JWSAlgorithm.ES256, "es256-9"), Tokens.claims().build(),
                                Tokens.trustedKey(TestKeys.CURRENT_KID))),
                row("workRejectsTrustedKeyUnderAnotherTrustedKid", BAD_SIGNATURE,
                        () -> Tokens.sign(Tokens.header(JWSAlgorithm.ES256, TestKeys.NEXT_KID), Tokens.claims().build(),
                                Tokens.trustedKey(TestKeys.CURRENT_KID))),
                row("workRejectsTokenWithoutKidWhenSeveralKeysAreTrusted", UNTRUSTED,
                        () -> Tokens.sign(Tokens.header(JWSAlgorithm.ES256, null), Tokens.claims().build(),
                                Tokens.trustedKey(TestKeys.CURRENT_KID))),
                row("workRejectsJkuHeaderPointingAtAttackerKeys", UNTRUSTED,
                        () -> Tokens.sign(Tokens.header(JWSAlgorithm.ES256, ATTACKER_KID)
                                        .jwkURL(URI.create("http://127.0.0.1:1/jwks.json")),
                                Tokens.claims().build(), Tokens.attackerKey(ATTACKER_KID))),
                row("workRejectsEmbeddedJwkHeader", UNTRUSTED, () -> {
                    JWK attacker = Tokens.attackerKey(ATTACKER_KID);
                    return Tokens.sign(Tokens.header(JWSAlgorithm.ES256, ATTACKER_KID).jwk(attacker.toPublicJWK()),
                            Tokens.claims().build(), attacker);
                }),
                row("workRejectsUnexpectedTypHeader (at+jwt)", WRONG_TYPE,
                        () -> Tokens.sign(Tokens.header(JWSAlgorithm.ES256, TestKeys.CURRENT_KID).type(new JOSEObjectType("at+jwt")),
                                Tokens.claims().build(), Tokens.trustedKey(TestKeys.CURRENT_KID))),
                row("workRejectsTokenWithoutTypHeader", WRONG_TYPE,
                        () -> Tokens.sign(Tokens.header(JWSAlgorithm.ES256, TestKeys.CURRENT_KID).type(null),
                                Tokens.claims().build(), Tokens.trustedKey(TestKeys.CURRENT_KID))),
                row("workRejectsUnknownCriticalHeader", UNTRUSTED,
                        () -> Tokens.sign(Tokens.header(JWSAlgorithm.ES256, TestKeys.CURRENT_KID)
                                        .criticalParams(Set.of("peak-unknown")).customParam("peak-unknown", true),
                                Tokens.claims().build(), Tokens.trustedKey(TestKeys.CURRENT_KID))),

                // Claims: signed by the trusted key, but not a token for B now
                row("workRejectsExpiredToken (exp = now - 10 min)", EXPIRED,
                        () -> Tokens.sign(Tokens.claims()
                                .issueTime(Tokens.fromNow(Duration.ofMinutes(-20)))
                                .expirationTime(Tokens.fromNow(Duration.ofMinutes(-10))))),
                row("workRejectsTokenNotYetValid (nbf = now + 10 min)", NOT_YET_VALID,
                        // exp after nbf: otherwise jose4j reports the inconsistent pair instead of nbf
                        () -> Tokens.sign(Tokens.claims()
                                .notBeforeTime(Tokens.fromNow(Duration.ofMinutes(10)))
                                .expirationTime(Tokens.fromNow(Duration.ofMinutes(20))))),
                row("workRejectsTokenWithoutExpiry", NO_EXPIRY, () -> Tokens.sign(Tokens.claims().expirationTime(null))),
                row("workRejectsTokenFromAnotherIssuer", WRONG_ISSUER, () -> Tokens.sign(Tokens.claims().issuer("peak-evil"))),
                row("workRejectsTokenWithoutIssuer", WRONG_ISSUER, () -> Tokens.sign(Tokens.claims().issuer(null))),
                row("workRejectsTokenForAnotherAudience", WRONG_AUDIENCE, () -> Tokens.sign(Tokens.claims().audience("peak-a"))),
                row("workRejectsTokenWithoutAudience", WRONG_AUDIENCE,
                        () -> Tokens.sign(Tokens.claims().audience((String) null))));
    }

    private static Arguments row(String rule, String reason, Supplier<String> token) {
        return arguments(named(rule, token), reason);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] publicKeySetBytes() {
        try {
            return Files.readAllBytes(Tokens.publicKeySet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
