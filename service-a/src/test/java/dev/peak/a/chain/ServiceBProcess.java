package dev.peak.a.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.peak.a.TestSigningKeys;
import dev.peak.common.keys.KeySetGenerator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Runs the real, packaged service-b beside the service-a under test, verifying with the public half of
 * the key set service-a signs with, and with its mesh-internal endpoint enabled. Built by the reactor
 * before service-a (module order in the parent pom).
 */
public class ServiceBProcess implements QuarkusTestResourceLifecycleManager {

    public static final String INSTANCE = "b-real";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private Process process;
    private Path keys;

    @Override
    public Map<String, String> start() {
        Path jar = Path.of(System.getProperty("peak.test.service-b.jar", "../service-b/target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("service-b is not packaged at " + jar.toAbsolutePath()
                    + ": build it first (mvn -pl service-b package, or mvn verify from the root)");
        }
        keys = TestSigningKeys.createKeys();
        int port = freePort();
        try {
            Path log = Files.createDirectories(Path.of("target")).resolve("service-b-for-chain-test.log");
            process = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dquarkus.http.port=" + port,
                    "-Dpeak.instance.id=" + INSTANCE,
                    "-Dpeak.b.internal.enabled=true",
                    "-Dmp.jwt.verify.publickey.location=" + keys.resolve(KeySetGenerator.PUBLIC_SET),
                    "-jar", jar.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            awaitReady(URI.create("http://localhost:" + port + "/q/health/ready"), log);
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "smallrye.jwt.sign.key.location", keys.resolve(KeySetGenerator.PRIVATE_SET).toString(),
                "peak.instance.id", "a-test",
                "peak.b.url", "http://localhost:" + port);
    }

    private void awaitReady(URI ready, Path log) throws IOException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("service-b exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
            }
            try {
                HttpResponse<Void> answer = client.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(1)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for service-b", e);
            }
            sleep();
        }
        throw new IllegalStateException("service-b was not ready within " + READY_TIMEOUT + "; see " + log.toAbsolutePath());
    }

    @Override
    public void stop() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        TestSigningKeys.deleteTree(keys);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
