package dev.peak.a.chain;

import java.net.URI;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.peak.common.error.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

/** Non-blocking client for B's {@code /internal/work}; every failure becomes a 502 for the caller. */
@ApplicationScoped
public class ServiceBClient {

    private final WebClient client;
    private final URI base;
    private final long timeoutMillis;

    public ServiceBClient(Vertx vertx, ServiceBConfig config) {
        this.base = URI.create(config.url().endsWith("/") ? config.url() : config.url() + "/");
        this.timeoutMillis = config.timeout().toMillis();
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setKeepAlive(true)
                .setMaxPoolSize(config.maxConnections()));
    }

    public Uni<JsonObject> work(int cost, String seed) {
        String url = base.resolve("internal/work").toString();
        var request = client.getAbs(url).timeout(timeoutMillis).addQueryParam("cost", Integer.toString(cost));
        if (seed != null) {
            request.addQueryParam("seed", seed);
        }
        return request.send()
                .onFailure().transform(e -> new ApiException(502, "upstream_unreachable",
                        "service-b at " + url + " did not answer: " + e.getMessage()))
                .map(response -> body(url, response));
    }

    private static JsonObject body(String url, HttpResponse<?> response) {
        if (response.statusCode() != 200) {
            throw new ApiException(502, "upstream_failed", "service-b at " + url + " answered " + response.statusCode());
        }
        try {
            return response.bodyAsJsonObject();
        } catch (RuntimeException e) {
            throw new ApiException(502, "upstream_failed", "service-b at " + url + " answered something other than JSON");
        }
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
