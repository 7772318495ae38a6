package dev.peak.a.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;

import dev.peak.a.TestSigningKeys;
import dev.peak.a.Tokens;
import dev.peak.common.keys.KeySetGenerator;

/** Signing works with every supported algorithm, and every wrong configuration says what is wrong. */
class SigningKeysTest {

    private static Path dir;

    @BeforeAll
    static void createKeys() {
        dir = TestSigningKeys.createKeys();
    }

    @AfterAll
    static void deleteKeys() {
        TestSigningKeys.deleteTree(dir);
    }

    private static String privateSet() {
        return dir.resolve(KeySetGenerator.PRIVATE_SET).toString();
    }

    @ParameterizedTest
    @CsvSource({"es256-1, ES256, ES256", "eddsa-1, EdDSA, EdDSA", "eddsa-1, EDDSA, EdDSA", "rs256-1, RS256, RS256"})
    void issuedTokenIsSignedWithTheConfiguredAlgorithmAndKey(String kid, String configured, String headerAlg) throws Exception {
        SigningKeys keys = new SigningKeys("file:" + privateSet(), kid, configured);
        String token = new TokenIssuer(keys, "peak-a", "peak-b", 60).issue("dave", 3).token();

        SignedJWT jwt = SignedJWT.parse(token);
        assertEquals(headerAlg, jwt.getHeader().getAlgorithm().getName());
        assertEquals(kid, jwt.getHeader().getKeyID());
        JWKSet published = JWKSet.parse(keys.load().publicJwks());
        assertEquals("dave", Tokens.verify(token, published).getSubject());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing file          | /no/such/signing-jwks.json | es256-1 | ES256 | run 'make keys'",
        "public set, no d      | PUBLIC                     | es256-1 | ES256 | has no private part",
        "unknown kid           | PRIVATE                    | nope-9  | ES256 | names no key",
        "key type vs algorithm | PRIVATE                    | rs256-1 | ES256 | needs a EC key",
        "unsupported algorithm | PRIVATE                    | es256-1 | HS256 | is not supported",
        "not a key set         | POM                        | es256-1 | ES256 | is not a JWK set"})
    void wrongConfigurationLeavesKeysUnloadedWithAReason(String row, String location, String kid, String alg, String reason) {
        String path = switch (location) {
            case "PUBLIC" -> dir.resolve(KeySetGenerator.PUBLIC_SET).toString();
            case "PRIVATE" -> privateSet();
            case "POM" -> "pom.xml";
            default -> location;
        };
        SigningKeys keys = new SigningKeys(path, kid, alg);
        assertNull(keys.load());
        assertTrue(keys.problem().contains(reason), () -> "'" + keys.problem() + "' should say '" + reason + "'");
    }

    @Test
    void keysLoadOnceAndStayLoaded() {
        SigningKeys keys = new SigningKeys(privateSet(), "es256-1", "ES256");
        SigningKeys.Loaded first = keys.load();
        assertNotNull(first);
        assertTrue(first == keys.load(), "the key set must be read once, not per token");
    }
}
