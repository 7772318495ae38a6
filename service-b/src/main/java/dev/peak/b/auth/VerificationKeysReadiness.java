package dev.peak.b.auth;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;

/**
 * service-b is ready once the keys it verifies with can be read: a local JWKS file, or service-a's
 * JWKS URL. Until then every token would be rejected, so no traffic should reach this instance.
 */
@Readiness
@ApplicationScoped
public class VerificationKeysReadiness implements HealthCheck {

    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(2);

    private final Optional<String> location;
    private volatile int keysLoaded;

    public VerificationKeysReadiness(@ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> location) {
        this.location = location;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("verification-keys");
        if (location.isEmpty()) {
            return response.down().withData("reason", "mp.jwt.verify.publickey.location is not set").build();
        }
        // Once the keys were read, SmallRye holds them (and refreshes a URL set itself): stay ready.
        if (keysLoaded == 0) {
            try {
                keysLoaded = new JsonWebKeySet(read(location.get())).getJsonWebKeys().size();
            } catch (IOException | JoseException | RuntimeException e) {
                return response.down().withData("location", location.get()).withData("reason", e.getMessage()).build();
            }
            if (keysLoaded == 0) {
                return response.down().withData("location", location.get()).withData("reason", "the key set is empty").build();
            }
        }
        return response.up().withData("location", location.get()).withData("keys", keysLoaded).build();
    }

    private static String read(String location) throws IOException {
        if (location.startsWith("http://") || location.startsWith("https://")) {
            return fetch(URI.create(location));
        }
        if (location.startsWith("classpath:")) {
            return classpath(location.substring("classpath:".length()));
        }
        Path path = Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location);
        if (Files.exists(path)) {
            return Files.readString(path);
        }
        // SmallRye reads a location without a scheme from the file system first, then the classpath.
        return classpath(location);
    }

    private static String classpath(String resource) throws IOException {
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no file or classpath resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String fetch(URI uri) throws IOException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(FETCH_TIMEOUT).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(FETCH_TIMEOUT).header("Accept", "application/json").GET().build();
        try {
            HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IOException(uri + " answered " + answer.statusCode());
            }
            return answer.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + uri, e);
        }
    }
}
