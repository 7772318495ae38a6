package dev.peak.common.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

class KeySetGeneratorTest {

    @ParameterizedTest
    @ValueSource(strings = {"ES256", "RS256"})
    void generatedKeySignsAndItsPublicHalfVerifies(String algorithm) throws Exception {
        JWK key = KeySetGenerator.generate(algorithm, "k1");
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.parse(algorithm)).keyID("k1").build(), new Payload("{}"));
        jws.sign(new DefaultJWSSignerFactory().createJWSSigner(key));
        JWSObject parsed = JWSObject.parse(jws.serialize());
        var publicKey = algorithm.equals("ES256") ? key.toPublicJWK().toECKey().toPublicKey() : key.toPublicJWK().toRSAKey().toPublicKey();
        assertTrue(parsed.verify(new DefaultJWSVerifierFactory().createJWSVerifier(parsed.getHeader(), publicKey)));
    }

    @Test
    void ed25519KeyIsAnOctetKeyPairWithRawKeys() {
        JWK key = KeySetGenerator.generate("EdDSA", "ed");
        assertEquals("OKP", key.getKeyType().getValue());
        assertEquals(32, key.toOctetKeyPair().getDecodedX().length);
        assertEquals(32, key.toOctetKeyPair().getDecodedD().length);
    }

    @Test
    void unsupportedAlgorithmIsRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeySetGenerator.generate("HS256", "x"));
        assertTrue(e.getMessage().contains("HS256"));
    }

    @Test
    void writeKeepsPrivateKeysPrivateAndPublishesOnlyPublicHalves(@TempDir Path dir) throws Exception {
        JWKSet set = new JWKSet(List.of(KeySetGenerator.generate("ES256", "es256-1"),
                KeySetGenerator.generate("EdDSA", "eddsa-1"), KeySetGenerator.generate("RS256", "rs256-1")));
        KeySetGenerator.write(set, dir);

        Set<PosixFilePermission> owner = Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertEquals(owner, Files.getPosixFilePermissions(dir.resolve(KeySetGenerator.PRIVATE_SET)));
        assertEquals(owner, Files.getPosixFilePermissions(dir.resolve("es256-1.key.pem")));

        JWKSet published = JWKSet.parse(Files.readString(dir.resolve(KeySetGenerator.PUBLIC_SET)));
        assertEquals(3, published.getKeys().size());
        published.getKeys().forEach(k -> assertFalse(k.isPrivate(), k.getKeyID() + " must be public only"));
        assertEquals(3, JWKSet.parse(Files.readString(dir.resolve(KeySetGenerator.PRIVATE_SET))).getKeys().size());

        for (String kid : List.of("es256-1", "eddsa-1", "rs256-1")) {
            assertTrue(Files.readString(dir.resolve(kid + ".key.pem")).startsWith("-----BEGIN PRIVATE KEY-----"));
            assertTrue(Files.readString(dir.resolve(kid + ".pub.pem")).startsWith("-----BEGIN PUBLIC KEY-----"));
        }
    }
}
