package dev.peak.b;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.peak.common.keys.KeySetGenerator;

/**
 * Mints tokens for B's tests with Nimbus, a JOSE library independent of the jose4j that B verifies
 * with, so a shared bug cannot make a forged token look valid to both. Valid tokens look like
 * service-a's; each hostile case changes one thing.
 */
public final class Tokens {

    public static final String ISSUER = "peak-a";
    public static final String AUDIENCE = "peak-b";
    public static final String SUBJECT = "alice";
    public static final int COST = 10;

    private Tokens() {
    }

    /** The claims service-a puts on a token: iss, aud, sub, iat, exp (now + 60 s), jti, cost. */
    public static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(SUBJECT)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(60)))
                .jwtID(UUID.randomUUID().toString())
                .claim("cost", COST);
    }

    /** A token service-a could have issued, signed by the current key. */
    public static String valid() {
        return sign(claims());
    }

    /** Signed by the current key ({@value TestKeys#CURRENT_KID}). */
    public static String sign(JWTClaimsSet.Builder claims) {
        return sign(claims, TestKeys.CURRENT_KID);
    }

    /** Signed by the trusted key {@code kid}, with that kid and its algorithm in the header. */
    public static String sign(JWTClaimsSet.Builder claims, String kid) {
        JWK key = trustedKey(kid);
        return sign(header(JWSAlgorithm.parse(key.getAlgorithm().getName()), kid), claims.build(), key);
    }

    /** The JWS header service-a writes: alg, typ JWT, kid. */
    public static JWSHeader.Builder header(JWSAlgorithm algorithm, String kid) {
        return new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).keyID(kid);
    }

    /** Signs with any private key (trusted or not) under any header: the forger's tool. */
    public static String sign(JWSHeader.Builder header, JWTClaimsSet claims, JWK privateKey) {
        try {
            JWSSigner signer = switch (privateKey.getKeyType().getValue()) {
                case "EC" -> new ECDSASigner(privateKey.toECKey());
                case "RSA" -> new RSASSASigner(privateKey.toRSAKey());
                default -> throw new IllegalArgumentException("no signer for " + privateKey.getKeyType());
            };
            return sign(header.build(), claims, signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HS256 with the given bytes as the HMAC secret: the key-confusion attack. */
    public static String signHs256(JWTClaimsSet claims, String kid, byte[] secret) {
        try {
            return sign(header(JWSAlgorithm.HS256, kid).build(), claims, new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key pair B has never seen, for forgeries. */
    public static JWK attackerKey(String kid) {
        return KeySetGenerator.generate("ES256", kid);
    }

    /** The private half of a key in the set B trusts. */
    public static JWK trustedKey(String kid) {
        try {
            JWK key = JWKSet.parse(Files.readString(keyDir().resolve(KeySetGenerator.PRIVATE_SET))).getKeyByKeyId(kid);
            if (key == null) {
                throw new IllegalArgumentException("no key " + kid + " in the test key set");
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public JWKS file B verifies with. */
    public static Path publicKeySet() {
        return Path.of(ConfigProvider.getConfig().getValue("mp.jwt.verify.publickey.location", String.class));
    }

    /** The PEM text of a trusted key's public half, as {@link KeySetGenerator#write} exports it. */
    public static String publicPem(String kid) {
        try {
            return Files.readString(keyDir().resolve(kid + ".pub.pem"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code token} with its payload replaced by {@code claims}, header and signature kept. */
    public static String withPayload(String token, JWTClaimsSet claims) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + Base64URL.encode(claims.toString().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }

    /** {@code token} with its signature replaced. */
    public static String withSignature(String token, byte[] signature) {
        return token.substring(0, token.lastIndexOf('.') + 1) + Base64URL.encode(signature);
    }

    /** The claims of a token, read without verification. */
    public static JWTClaimsSet claimsOf(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet();
        } catch (ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static Date fromNow(Duration offset) {
        return Date.from(Instant.now().plus(offset));
    }

    private static Path keyDir() {
        return publicKeySet().getParent();
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) throws JOSEException {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }
}
