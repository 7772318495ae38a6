package dev.peak.a.token;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** service-a is ready only once it can sign: until then no replica should get token traffic. */
@Readiness
@ApplicationScoped
public class SigningKeysReadiness implements HealthCheck {

    private final SigningKeys keys;

    public SigningKeysReadiness(SigningKeys keys) {
        this.keys = keys;
    }

    @Override
    public HealthCheckResponse call() {
        SigningKeys.Loaded loaded = keys.load();
        if (loaded == null) {
            return HealthCheckResponse.named("signing-keys").down().withData("reason", keys.problem()).build();
        }
        return HealthCheckResponse.named("signing-keys").up()
                .withData("kid", loaded.kid())
                .withData("algorithm", loaded.algorithm().getAlgorithm())
                .build();
    }
}
