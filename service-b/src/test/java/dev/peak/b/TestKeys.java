package dev.peak.b;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.nimbusds.jose.jwk.JWKSet;

import dev.peak.common.keys.KeySetGenerator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Generates a fresh key set for each test run of service-b into a temporary directory (no private key
 * is ever committed) and points B at its public JWKS: two ES256 keys, as during a rotation, and an
 * RS256 key that B, configured for ES256 only, must not accept. The tests pin ES256 rather than the
 * RS256 default: it is the algorithm with the richer forgeries (CVE-2022-21449's all-zero ECDSA
 * signature); the default configuration is covered end to end by service-a's tests against the
 * packaged service-b.
 */
public class TestKeys implements QuarkusTestResourceLifecycleManager {

    public static final String CURRENT_KID = "es256-1";
    public static final String NEXT_KID = "es256-2";
    public static final String RSA_KID = "rs256-1";
    public static final String INSTANCE_ID = "b-test";

    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("peak-b-test-keys");
            KeySetGenerator.write(new JWKSet(List.of(
                    KeySetGenerator.generate("ES256", CURRENT_KID),
                    KeySetGenerator.generate("ES256", NEXT_KID),
                    KeySetGenerator.generate("RS256", RSA_KID))), dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the test key set", e);
        }
        return Map.of(
                "mp.jwt.verify.publickey.location", dir.resolve(KeySetGenerator.PUBLIC_SET).toString(),
                "mp.jwt.verify.publickey.algorithm", "ES256",
                "peak.instance.id", INSTANCE_ID);
    }

    @Override
    public void stop() {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temp dir holds only test keys; it must not fail the build.
        }
    }
}
