package dev.peak.a;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.JWKSet;

import dev.peak.common.keys.KeySetGenerator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A fresh signing key set per test run, in a temporary folder: two RS256 keys (the default
 * algorithm, for rotation), one ES256 and one EdDSA. No private key lives in the repository.
 */
public class TestSigningKeys implements QuarkusTestResourceLifecycleManager {

    public static final List<String> KIDS = List.of("rs256-1", "rs256-2", "es256-1", "eddsa-1");

    private Path dir;

    @Override
    public Map<String, String> start() {
        dir = createKeys();
        return Map.of(
                "smallrye.jwt.sign.key.location", dir.resolve(KeySetGenerator.PRIVATE_SET).toString(),
                "peak.instance.id", "a-test");
    }

    /** Writes a new key set into a new temporary folder and returns the folder. */
    public static Path createKeys() {
        try {
            Path dir = Files.createTempDirectory("peak-a-keys");
            KeySetGenerator.write(new JWKSet(List.of(
                    KeySetGenerator.generate("RS256", "rs256-1"),
                    KeySetGenerator.generate("RS256", "rs256-2"),
                    KeySetGenerator.generate("ES256", "es256-1"),
                    KeySetGenerator.generate("EdDSA", "eddsa-1"))), dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        deleteTree(dir);
    }

    public static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
