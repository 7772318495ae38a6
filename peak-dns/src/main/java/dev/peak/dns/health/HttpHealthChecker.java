package dev.peak.dns.health;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.peak.common.metrics.PrometheusText;
import dev.peak.common.net.Hosts;
import dev.peak.dns.config.DnsConfig;
import dev.peak.dns.endpoint.Endpoint;
import dev.peak.dns.policy.PolicyName;
import dev.peak.dns.zone.ServiceSpec.HealthSpec;
import dev.peak.dns.zone.ServiceState;
import dev.peak.dns.zone.Zone;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * Active HTTP health checks of every endpoint (its readiness path, each service's interval, timeout,
 * rise and fall), and for least-loaded services a reading of the endpoint's load gauge. Every
 * endpoint is probed once before the DNS sockets open, so no answer goes out on unknown health.
 */
@ApplicationScoped
public class HttpHealthChecker {

    private static final Logger LOG = Logger.getLogger(HttpHealthChecker.class);
    /** How often due probes are looked for; the finest interval a service can use. */
    static final long TICK_MILLIS = 100;

    private final Vertx vertx;
    private long timer = -1;
    private final Zone zone;
    private final DnsConfig config;
    private final WebClient client;
    private final Map<Endpoint, Long> nextProbe = Collections.synchronizedMap(new IdentityHashMap<>());
    private final Set<Endpoint> probing = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    public HttpHealthChecker(Vertx vertx, Zone zone, DnsConfig config) {
        this.vertx = vertx;
        this.zone = zone;
        this.config = config;
        this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(false).setMaxPoolSize(64));
    }

    /** Runs after discovery loaded (priority 2) and before the DNS sockets bind (priority 3). */
    void start(@Observes @Priority(2) StartupEvent event) throws InterruptedException {
        probeAllOnce();
        timer = vertx.setPeriodic(TICK_MILLIS, id -> probeDue());
    }

    private void probeAllOnce() throws InterruptedException {
        long longestTimeout = 0;
        int count = 0;
        for (ServiceState service : zone.services()) {
            if (!service.spec().health().interval().isZero()) {
                count += service.endpoints().size();
                longestTimeout = Math.max(longestTimeout, service.spec().health().timeout().toMillis());
            }
        }
        CountDownLatch done = new CountDownLatch(count);
        for (ServiceState service : zone.services()) {
            if (!service.spec().health().interval().isZero()) {
                service.endpoints().forEach(e -> probe(service, e, done));
            }
        }
        if (!done.await(longestTimeout + 1000, TimeUnit.MILLISECONDS)) {
            LOG.warnf("%d of %d first probes did not finish in time", done.getCount(), count);
        }
    }

    private void probeDue() {
        long now = System.nanoTime();
        Set<Endpoint> live = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ServiceState service : zone.services()) {
            HealthSpec health = service.spec().health();
            for (Endpoint endpoint : service.endpoints()) {
                live.add(endpoint);
                if (health.interval().isZero()) {
                    endpoint.assumeHealthy();
                    continue;
                }
                Long due = nextProbe.get(endpoint);
                if ((due == null || now - due >= 0) && !probing.contains(endpoint)) {
                    probe(service, endpoint, null);
                }
            }
        }
        // Forget endpoints that left the zone.
        synchronized (nextProbe) {
            nextProbe.keySet().retainAll(live);
        }
    }

    private void probe(ServiceState service, Endpoint endpoint, CountDownLatch done) {
        HealthSpec health = service.spec().health();
        probing.add(endpoint);
        nextProbe.put(endpoint, System.nanoTime() + health.interval().toNanos());
        String host = endpoint.address().getHostAddress().replaceFirst("%.*$", "");
        int port = service.spec().port();
        long timeout = health.timeout().toMillis();
        client.get(port, host, health.path()).putHeader("Host", hostHeader(host, port)).timeout(timeout).send().onComplete(result -> {
            boolean up = result.succeeded() && result.result().statusCode() == 200;
            if (endpoint.recordProbe(up, health.rise(), health.fall())) {
                zone.changed();
                LOG.infof("%s endpoint %s is %s%s", service.spec().name(), endpoint.text(), endpoint.health(),
                        up ? "" : " (" + (result.succeeded() ? "HTTP " + result.result().statusCode() : result.cause().getMessage()) + ")");
            }
            if (up && service.spec().policy() == PolicyName.LEAST_LOADED) {
                readLoad(host, port, timeout, endpoint);
            }
            probing.remove(endpoint);
            if (done != null) {
                done.countDown();
            }
        });
    }

    private void readLoad(String host, int port, long timeout, Endpoint endpoint) {
        client.get(port, host, config.health().metricsPath()).putHeader("Host", hostHeader(host, port))
                .timeout(timeout).send().onSuccess(response -> {
                    Double load = response.statusCode() == 200 ? gauge(response, config.health().loadMetric()) : null;
                    if (load != null) {
                        endpoint.recordLoad(load, gauge(response, config.health().shedMetric()));
                    }
                });
    }

    /**
     * Vert.x writes an IPv6 host unbracketed ("fd00::1:8080"), which Vert.x servers, so every Quarkus
     * service, reject with 400: every IPv6 endpoint would look down for good.
     */
    static String hostHeader(String host, int port) {
        return Hosts.hostPort(host, port);
    }

    /** The sum of a gauge's (or counter's) samples in Prometheus text format, or null when the metric is absent. */
    static Double gauge(HttpResponse<Buffer> response, String metric) {
        return PrometheusText.sum(response.bodyAsString(), metric);
    }

    /** Stops the periodic work: a timer firing after shutdown would find the beans gone. */
    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
