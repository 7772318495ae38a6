package dev.peak.b.auth;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URLConnection;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;

import io.smallrye.jwt.util.ResourceUtils;
import io.smallrye.jwt.util.ResourceUtils.UrlStreamResolver;

/**
 * service-b is ready once the keys it verifies with can be read: a local JWKS file, or service-a's
 * JWKS URL. Until then every token would be rejected, so no traffic should reach this instance.
 * The location is read with SmallRye's own {@link ResourceUtils}, so "readable" means what it means to
 * the verifier: a URL, {@code file:}, {@code classpath:}, or a bare path tried as a file, then on the classpath.
 */
@Readiness
@ApplicationScoped
public class VerificationKeysReadiness implements HealthCheck {

    private static final int FETCH_TIMEOUT_MILLIS = 2_000;

    /**
     * SmallRye's URL reading with connect and read timeouts: its default opens the URL without any, and a
     * JWKS URL that never answers would hang the readiness probe instead of failing it.
     */
    private static final UrlStreamResolver BOUNDED_URL_READER = new UrlStreamResolver() {
        @Override
        public InputStream resolve(String url) throws IOException {
            URLConnection connection = URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(FETCH_TIMEOUT_MILLIS);
            connection.setReadTimeout(FETCH_TIMEOUT_MILLIS);
            return connection.getInputStream();
        }
    };

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
            String keySet;
            try {
                keySet = ResourceUtils.readResource(location.get(), BOUNDED_URL_READER);
            } catch (MalformedURLException e) {
                // A bare path that is neither a file nor on the classpath is last tried as a URL, which it is not.
                keySet = null;
            } catch (IOException | RuntimeException e) {
                return down(response, e.getMessage());
            }
            if (keySet == null) {
                return down(response, "no file or classpath resource " + location.get());
            }
            try {
                keysLoaded = new JsonWebKeySet(keySet).getJsonWebKeys().size();
            } catch (JoseException e) {
                return down(response, e.getMessage());
            }
            if (keysLoaded == 0) {
                return down(response, "the key set is empty");
            }
        }
        return response.up().withData("location", location.get()).withData("keys", keysLoaded).build();
    }

    private HealthCheckResponse down(HealthCheckResponseBuilder response, String reason) {
        return response.down().withData("location", location.get()).withData("reason", reason).build();
    }
}
