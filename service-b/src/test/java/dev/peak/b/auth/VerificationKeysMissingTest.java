package dev.peak.b.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import dev.peak.b.TestKeys;
import dev.peak.b.Tokens;
import dev.peak.common.keys.KeySetGenerator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * B started before its JWKS can be read (the Secret not mounted yet, A not up): it must stay out of
 * rotation (readiness DOWN) while alive, answer 503 rather than 500 to anyone who calls anyway, and
 * become ready and verify once the keys appear. The methods run in order: the keys appear in the last one.
 */
@QuarkusTest
@TestProfile(VerificationKeysMissingTest.KeysNotYetThere.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerificationKeysMissingTest {

    public static class KeysNotYetThere implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Path missing = Path.of(System.getProperty("java.io.tmpdir"), "peak-b-keys-" + UUID.randomUUID(), "jwks.json");
            return Map.of("mp.jwt.verify.publickey.location", missing.toString(),
                    "mp.jwt.verify.publickey.algorithm", "ES256",
                    "peak.instance.id", TestKeys.INSTANCE_ID);
        }
    }

    @Test
    @Order(1)
    void notReadyWhileKeysCannotBeRead() {
        given().get("/q/health/ready").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'verification-keys' }.status", equalTo("DOWN"));
    }

    @Test
    @Order(2)
    void aliveWhileKeysCannotBeRead() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    @Order(3)
    void workAnswersUnavailableForTokenWhileKeysCannotBeRead() {
        // B cannot tell a good token from a bad one yet: 503 sends the client elsewhere, where a 401
        // would wrongly tell it that its token is bad; and never 500.
        JWK stranger = KeySetGenerator.generate("ES256", TestKeys.CURRENT_KID);
        String token = Tokens.sign(Tokens.header(JWSAlgorithm.ES256, TestKeys.CURRENT_KID), Tokens.claims().build(), stranger);
        given().header("Authorization", "Bearer " + token).get("/work")
                .then().statusCode(503)
                .header("Retry-After", notNullValue())
                .contentType("application/json")
                .body("error", equalTo("unavailable"))
                .body("message", containsString("keys"));
    }

    @Test
    @Order(4)
    void workAnswersUnavailableWithoutTokenWhileKeysCannotBeRead() {
        given().get("/work")
                .then().statusCode(503)
                .contentType("application/json")
                .body("error", equalTo("unavailable"));
    }

    @Test
    @Order(5)
    void readyAndVerifyingOnceKeysAppear() throws IOException {
        Path dir = Tokens.publicKeySet().getParent();
        try {
            KeySetGenerator.write(new JWKSet(KeySetGenerator.generate("ES256", TestKeys.CURRENT_KID)), dir);

            given().get("/q/health/ready").then().statusCode(200)
                    .body("status", equalTo("UP"));
            given().header("Authorization", "Bearer " + Tokens.valid()).get("/work")
                    .then().statusCode(200)
                    .body("subject", equalTo(Tokens.SUBJECT));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
