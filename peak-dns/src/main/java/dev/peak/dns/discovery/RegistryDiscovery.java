package dev.peak.dns.discovery;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import dev.peak.dns.config.DnsConfig;
import dev.peak.dns.policy.PolicyName;
import dev.peak.dns.zone.ServiceSpec.EndpointSpec;
import dev.peak.dns.zone.ServiceSpec.HealthSpec;
import dev.peak.dns.zone.ServiceSpec;
import dev.peak.dns.zone.Zone;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * The {@code registry} discovery source: instances register themselves over HTTP
 * ({@code PUT /v1/services/{svc}/endpoints/{addr}}) and must renew within the lease, or they leave the
 * answers; {@code DELETE} removes at once. Services known only here get the default settings.
 */
@ApplicationScoped
public class RegistryDiscovery {

    public static final String SOURCE = "registry";
    static final int MAX_ENDPOINTS = 10_000;

    private record Lease(String service, InetAddress address, int weight, Instant expires) {
    }

    private final DnsConfig config;
    private final Zone zone;
    private final Vertx vertx;
    private long timer = -1;
    private final Supplier<Instant> clock;
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();

    @Inject
    public RegistryDiscovery(DnsConfig config, Zone zone, Vertx vertx) {
        this(config, zone, vertx, Instant::now);
    }

    RegistryDiscovery(DnsConfig config, Zone zone, Vertx vertx, Supplier<Instant> clock) {
        this.config = config;
        this.zone = zone;
        this.vertx = vertx;
        this.clock = clock;
    }

    public boolean enabled() {
        return config.discovery().contains(SOURCE);
    }

    void start(@Observes @Priority(1) StartupEvent event) {
        if (!enabled()) {
            return;
        }
        zone.apply(SOURCE, Map.of());
        long sweep = Math.max(100, config.registry().lease().toMillis() / 4);
        timer = vertx.setPeriodic(sweep, id -> expire());
    }

    /** Registers or renews; returns the lease's expiry. */
    public synchronized Instant register(String service, InetAddress address, int weight) {
        String key = service + "|" + address.getHostAddress();
        if (!leases.containsKey(key) && leases.size() >= MAX_ENDPOINTS) {
            throw new IllegalStateException("the registry holds " + MAX_ENDPOINTS + " endpoints already");
        }
        Instant expires = clock.get().plus(config.registry().lease());
        Lease previous = leases.put(key, new Lease(service, address, weight, expires));
        if (previous == null || previous.weight() != weight) {
            publish();
        }
        return expires;
    }

    /** Removes at once; false when it was not registered. */
    public synchronized boolean deregister(String service, InetAddress address) {
        boolean removed = leases.remove(service + "|" + address.getHostAddress()) != null;
        if (removed) {
            publish();
        }
        return removed;
    }

    /** Drops every lease not renewed in time. */
    synchronized void expire() {
        Instant now = clock.get();
        if (leases.values().removeIf(lease -> !lease.expires().isAfter(now))) {
            publish();
        }
    }

    private void publish() {
        HealthSpec health = HealthSpec.defaults(config.health());
        Map<String, List<EndpointSpec>> byService = new LinkedHashMap<>();
        leases.values().stream().sorted((x, y) -> (x.service() + x.address().getHostAddress())
                .compareTo(y.service() + y.address().getHostAddress()))
                .forEach(l -> byService.computeIfAbsent(l.service(), s -> new ArrayList<>()).add(new EndpointSpec(l.address(), l.weight())));
        Map<String, ServiceSpec> specs = new LinkedHashMap<>();
        byService.forEach((service, endpoints) -> specs.put(service, new ServiceSpec(service, PolicyName.DEFAULT, 1,
                config.ttl(), StaticFileParser.DEFAULT_PORT, health, List.copyOf(endpoints))));
        zone.apply(SOURCE, specs);
    }

    /** Stops the periodic work: a timer firing after shutdown would find the beans gone. */
    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
