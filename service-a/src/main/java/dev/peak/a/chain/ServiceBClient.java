package dev.peak.a.chain;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.client.api.QuarkusRestClientProperties;

import dev.peak.common.error.ApiException;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;

/**
 * Calls B's {@code /internal/work} without holding a thread; every failure becomes a 502 for the caller.
 *
 * <p>Built from {@link ServiceBConfig} rather than from {@code quarkus.rest-client.*} keys: the lab and the
 * manifests set {@code peak.b.*}, whose timeouts are durations ({@code 1s}), where the REST client's keys take
 * milliseconds.
 */
@ApplicationScoped
public class ServiceBClient {

    private static final GenericType<Map<String, Object>> JSON_OBJECT = new GenericType<>() {
    };

    private final ServiceBApi serviceB;
    private final String url;

    public ServiceBClient(ServiceBConfig config) {
        URI base = URI.create(config.url().endsWith("/") ? config.url() : config.url() + "/");
        this.url = base.resolve("internal/work").toString();
        this.serviceB = QuarkusRestClientBuilder.newBuilder()
                .baseUri(base)
                .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .property(QuarkusRestClientProperties.CONNECTION_POOL_SIZE, config.maxConnections())
                .property(QuarkusRestClientProperties.KEEP_ALIVE_ENABLED, true)
                // Statuses are judged below, all alike; the default mapper would throw for 4xx/5xx only.
                .disableDefaultMapper(true)
                .build(ServiceBApi.class);
    }

    public Uni<Map<String, Object>> work(int cost, String seed) {
        return serviceB.work(cost, seed)
                .onFailure().transform(e -> new ApiException(502, "upstream_unreachable",
                        "service-b at " + url + " did not answer: " + e.getMessage()))
                .map(this::body);
    }

    private Map<String, Object> body(Response response) {
        try (response) {
            if (response.getStatus() != 200) {
                throw new ApiException(502, "upstream_failed", "service-b at " + url + " answered " + response.getStatus());
            }
            try {
                return response.readEntity(JSON_OBJECT);
            } catch (RuntimeException e) {
                throw new ApiException(502, "upstream_failed", "service-b at " + url + " answered something other than JSON");
            }
        }
    }

    @PreDestroy
    void close() throws IOException {
        serviceB.close();
    }
}
