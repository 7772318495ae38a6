package dev.peak.a;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.Signature;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.peak.common.keys.KeySetGenerator;

/**
 * Checks tokens with Nimbus JOSE+JWT, a library independent of the jose4j that signs them, so the
 * tests cannot share a bug with the code under test.
 */
public final class Tokens {

    private Tokens() {
    }

    /** The public keys service-a publishes right now. */
    public static JWKSet publishedKeys() throws Exception {
        return JWKSet.parse(given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString());
    }

    /** Verifies the token's signature with the published key its kid names, and returns its claims. */
    public static JWTClaimsSet verify(String token, JWKSet keys) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        JWK key = keys.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertTrue(key != null, "no published key for kid " + jwt.getHeader().getKeyID());
        assertTrue(verifies(jwt, key), "signature of a token signed with " + key.getKeyID() + " does not verify");
        return jwt.getJWTClaimsSet();
    }

    private static boolean verifies(JWSObject jws, JWK key) throws Exception {
        if (key.getKeyType().getValue().equals("OKP")) {
            // Nimbus needs Tink for Ed25519; the JDK verifies it natively.
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initVerify(KeySetGenerator.ed25519PublicKey(key.toOctetKeyPair()));
            ed25519.update(jws.getSigningInput());
            return ed25519.verify(jws.getSignature().decode());
        }
        var publicKey = key.getKeyType().getValue().equals("EC") ? key.toECKey().toPublicKey() : key.toRSAKey().toPublicKey();
        return jws.verify(new DefaultJWSVerifierFactory().createJWSVerifier(jws.getHeader(), publicKey));
    }
}
