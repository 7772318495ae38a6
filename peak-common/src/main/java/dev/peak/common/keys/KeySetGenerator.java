package dev.peak.common.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;

/**
 * Writes the signing key set shared by every service-a replica and the public JWKS service-b verifies
 * with ({@code make keys}). Keys come from the JDK's own generators, so nothing beyond Java is needed.
 *
 * <pre>
 * java ... KeySetGenerator [--dir keys] [--alg ES256,EdDSA,RS256] [--add]
 * </pre>
 *
 * Without {@code --add} the set is replaced; with it the new keys join the existing ones (rotation:
 * add a key, point {@code smallrye.jwt.sign.key.id} at it, tokens signed by the old one still verify).
 */
public final class KeySetGenerator {

    public static final String PRIVATE_SET = "signing-jwks.json";
    public static final String PUBLIC_SET = "jwks.json";
    public static final List<String> ALGORITHMS = List.of("ES256", "EdDSA", "RS256");

    private KeySetGenerator() {
    }

    /** Generates one private key for a JWS algorithm (ES256, EdDSA or RS256) under the given kid. */
    public static JWK generate(String algorithm, String kid) {
        try {
            return switch (algorithm) {
                case "ES256" -> ecKey(kid);
                case "EdDSA" -> ed25519Key(kid);
                case "RS256" -> rsaKey(kid);
                default -> throw new IllegalArgumentException(
                        "unsupported algorithm '" + algorithm + "': use one of " + ALGORITHMS);
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate a " + algorithm + " key", e);
        }
    }

    /** Writes the private set, the public JWKS and a PEM pair per key into {@code dir}. */
    public static void write(JWKSet privateSet, Path dir) throws IOException {
        Files.createDirectories(dir);
        writePrivate(dir.resolve(PRIVATE_SET), privateSet.toString(false));
        Files.writeString(dir.resolve(PUBLIC_SET), privateSet.toPublicJWKSet().toString());
        for (JWK key : privateSet.getKeys()) {
            try {
                KeyPair pair = keyPair(key);
                writePrivate(dir.resolve(key.getKeyID() + ".key.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
                Files.writeString(dir.resolve(key.getKeyID() + ".pub.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot export key " + key.getKeyID() + " as PEM", e);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of("keys");
        List<String> algorithms = ALGORITHMS;
        boolean add = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(value(args, ++i, "--dir"));
                case "--alg" -> algorithms = Arrays.asList(value(args, ++i, "--alg").split(","));
                case "--add" -> add = true;
                default -> usage("unknown argument '" + args[i] + "'");
            }
        }
        for (String algorithm : algorithms) {
            if (!ALGORITHMS.contains(algorithm)) {
                usage("unsupported algorithm '" + algorithm + "'");
            }
        }
        List<JWK> keys = new ArrayList<>();
        Path existing = dir.resolve(PRIVATE_SET);
        if (add && Files.exists(existing)) {
            keys.addAll(readSet(existing).getKeys());
        }
        for (String algorithm : algorithms) {
            keys.add(generate(algorithm, nextKid(keys, algorithm)));
        }
        JWKSet set = new JWKSet(keys);
        write(set, dir);
        System.out.println("Wrote " + dir.resolve(PRIVATE_SET) + " (private, mode 600) and " + dir.resolve(PUBLIC_SET) + ":");
        for (JWK key : keys) {
            System.out.printf("  kid %-12s %s%n", key.getKeyID(), key.getAlgorithm());
        }
    }

    private static String nextKid(List<JWK> keys, String algorithm) {
        String prefix = algorithm.toLowerCase(Locale.ROOT) + "-";
        long taken = keys.stream().filter(k -> k.getKeyID().startsWith(prefix)).count();
        return prefix + (taken + 1);
    }

    private static JWKSet readSet(Path file) throws IOException {
        try {
            return JWKSet.parse(Files.readString(file));
        } catch (ParseException e) {
            throw new IOException(file + " is not a JWK set: " + e.getMessage(), e);
        }
    }

    private static ECKey ecKey(String kid) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        return new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic())
                .privateKey((ECPrivateKey) pair.getPrivate())
                .keyID(kid).algorithm(JWSAlgorithm.ES256).keyUse(KeyUse.SIGNATURE).build();
    }

    private static RSAKey rsaKey(String kid) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        return new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                .privateKey((RSAPrivateKey) pair.getPrivate())
                .keyID(kid).algorithm(JWSAlgorithm.RS256).keyUse(KeyUse.SIGNATURE).build();
    }

    private static OctetKeyPair ed25519Key(String kid) throws GeneralSecurityException {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        // The raw 32-byte keys are the tails of the JDK's X.509 and PKCS#8 encodings (RFC 8410).
        byte[] x = tail(pair.getPublic().getEncoded(), 32);
        byte[] d = tail(pair.getPrivate().getEncoded(), 32);
        return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).d(Base64URL.encode(d))
                .keyID(kid).algorithm(JWSAlgorithm.EdDSA).keyUse(KeyUse.SIGNATURE).build();
    }

    private static KeyPair keyPair(JWK key) throws GeneralSecurityException {
        try {
            return switch (key.getKeyType().getValue()) {
                case "EC" -> key.toECKey().toKeyPair();
                case "RSA" -> key.toRSAKey().toKeyPair();
                case "OKP" -> ed25519KeyPair(key.toOctetKeyPair());
                default -> throw new GeneralSecurityException("unsupported key type " + key.getKeyType());
            };
        } catch (JOSEException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair ed25519KeyPair(OctetKeyPair okp) throws GeneralSecurityException {
        byte[] pkcs8Prefix = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20};
        PrivateKey privateKey = KeyFactory.getInstance("Ed25519")
                .generatePrivate(new PKCS8EncodedKeySpec(concat(pkcs8Prefix, okp.getDecodedD())));
        return new KeyPair(ed25519PublicKey(okp), privateKey);
    }

    /**
     * The JDK public key of an Ed25519 JWK, which Nimbus cannot convert itself (it would need Tink):
     * the raw key re-wrapped in the fixed RFC 8410 X.509 prefix the JDK's KeyFactory expects.
     */
    public static PublicKey ed25519PublicKey(OctetKeyPair okp) throws GeneralSecurityException {
        byte[] spkiPrefix = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(spkiPrefix, okp.getDecodedX())));
    }

    private static byte[] tail(byte[] bytes, int length) {
        return Arrays.copyOfRange(bytes, bytes.length - length, bytes.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            usage(option + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println("KeySetGenerator: " + problem);
        System.err.println("usage: KeySetGenerator [--dir DIR] [--alg " + String.join(",", ALGORITHMS) + "] [--add]");
        System.exit(2);
    }
}
