package dev.peak.b.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.jwk.JWKSet;

import dev.peak.common.keys.KeySetGenerator;

/** B's readiness says whether the verifier can read its keys, and why not, without ever hanging the probe. */
class VerificationKeysReadinessTest {

    @TempDir
    Path dir;

    @Test
    void unsetLocationIsDownWithTheKeyToSet() {
        HealthCheckResponse answer = new VerificationKeysReadiness(Optional.empty()).call();
        assertEquals(Status.DOWN, answer.getStatus());
        assertEquals("mp.jwt.verify.publickey.location is not set", reason(answer));
    }

    @Test
    void missingFileIsDownWithTheLocation() {
        HealthCheckResponse answer = readiness(dir.resolve("jwks.json").toString()).call();
        assertEquals(Status.DOWN, answer.getStatus());
        assertEquals("no file or classpath resource " + dir.resolve("jwks.json"), reason(answer));
    }

    @Test
    void emptyKeySetIsDown() throws IOException {
        Path empty = Files.writeString(dir.resolve("jwks.json"), "{\"keys\":[]}");
        HealthCheckResponse answer = readiness(empty.toString()).call();
        assertEquals(Status.DOWN, answer.getStatus());
        assertEquals("the key set is empty", reason(answer));
    }

    @Test
    void readableKeySetIsUpWithItsKeyCountAndStaysUp() throws IOException {
        KeySetGenerator.write(new JWKSet(KeySetGenerator.generate("ES256", "es256-1")), dir);
        Path keys = dir.resolve(KeySetGenerator.PUBLIC_SET);
        VerificationKeysReadiness readiness = readiness("file:" + keys);

        assertEquals(Status.UP, readiness.call().getStatus());
        assertEquals(1L, ((Number) readiness.call().getData().orElseThrow().get("keys")).longValue());

        Files.delete(keys);
        assertEquals(Status.UP, readiness.call().getStatus(), "SmallRye holds the keys once read");
    }

    @Test
    void unansweredKeyUrlIsDownWithinTheFetchTimeout() throws IOException {
        // Accepts connections (the backlog does) and never answers.
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Instant start = Instant.now();
            HealthCheckResponse answer = readiness("http://localhost:" + silent.getLocalPort() + "/.well-known/jwks.json").call();
            assertEquals(Status.DOWN, answer.getStatus());
            assertTrue(Duration.between(start, Instant.now()).compareTo(Duration.ofSeconds(4)) < 0,
                    "the probe must not wait longer than the fetch timeout");
        }
    }

    private static VerificationKeysReadiness readiness(String location) {
        return new VerificationKeysReadiness(Optional.of(location));
    }

    private static String reason(HealthCheckResponse answer) {
        return String.valueOf(answer.getData().orElseThrow().get("reason"));
    }
}
