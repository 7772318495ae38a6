package dev.peak.a.token;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.peak.a.TestSigningKeys;
import dev.peak.a.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Rotation: a second key was added to the set and {@code smallrye.jwt.sign.key.id} now names it.
 * New tokens carry the new kid; tokens the old key signed still verify against what A publishes.
 */
@QuarkusTest
@TestProfile(RotatedSigningKeyTest.Rotated.class)
class RotatedSigningKeyTest {

    public static class Rotated implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("smallrye.jwt.sign.key.id", "rs256-2");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TestSigningKeys.class));
        }
    }

    @Test
    void newTokensAreSignedByTheNewKey() throws Exception {
        String token = given().post("/token").then().statusCode(200).extract().path("token");
        assertEquals("rs256-2", SignedJWT.parse(token).getHeader().getKeyID());
        Tokens.verify(token, Tokens.publishedKeys());
    }

    @Test
    void tokenSignedByTheOldKeyStillVerifiesAfterTheSwitch() throws Exception {
        Path privateSet = Path.of(ConfigProvider.getConfig().getValue("smallrye.jwt.sign.key.location", String.class));
        var oldKey = JWKSet.parse(Files.readString(privateSet)).getKeyByKeyId("rs256-1").toRSAKey();
        SignedJWT old = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rs256-1").build(),
                new JWTClaimsSet.Builder().issuer("peak-a").audience("peak-b").subject("before-rotation")
                        .expirationTime(new Date(System.currentTimeMillis() + 60_000)).build());
        old.sign(new RSASSASigner(oldKey));
        assertEquals("before-rotation", Tokens.verify(old.serialize(), Tokens.publishedKeys()).getSubject());
    }
}
