package dev.peak.dns.discovery;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

    private record Lease(InetAddress address, int weight, Instant expires) {
    }

    private final DnsConfig config;
    private final Zone zone;
    private final Vertx vertx;
    private long timer = -1;
    private final Supplier<Instant> clock;
    /**
     * Service → the text of each address → its lease, in address order (the order of the service's
     * endpoints, kept sorted here so publishing one service does not sort it). Guarded by this.
     */
    private final Map<String, TreeMap<String, Lease>> leases = new HashMap<>();
    private int leaseCount;

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
        String key = address.getHostAddress();
        TreeMap<String, Lease> ofService = leases.get(service);
        if ((ofService == null || !ofService.containsKey(key)) && leaseCount >= MAX_ENDPOINTS) {
            throw new IllegalStateException("the registry holds " + MAX_ENDPOINTS + " endpoints already");
        }
        Instant expires = clock.get().plus(config.registry().lease());
        Lease previous = leases.computeIfAbsent(service, s -> new TreeMap<>()).put(key, new Lease(address, weight, expires));
        if (previous == null) {
            leaseCount++;
        }
        if (previous == null || previous.weight() != weight) {
            publish(service);
        }
        return expires;
    }

    /** Removes at once; false when it was not registered. */
    public synchronized boolean deregister(String service, InetAddress address) {
        TreeMap<String, Lease> ofService = leases.get(service);
        boolean removed = ofService != null && ofService.remove(address.getHostAddress()) != null;
        if (removed) {
            leaseCount--;
            publish(service);
        }
        return removed;
    }

    /** Drops every lease not renewed in time. */
    synchronized void expire() {
        Instant now = clock.get();
        List<String> touched = new ArrayList<>();
        leases.forEach((service, ofService) -> {
            int before = ofService.size();
            if (ofService.values().removeIf(lease -> !lease.expires().isAfter(now))) {
                leaseCount -= before - ofService.size();
                touched.add(service);
            }
        });
        touched.forEach(this::publish);
    }

    /** Hands the zone this one service, so the zone's other services keep their state untouched. */
    private void publish(String service) {
        TreeMap<String, Lease> ofService = leases.get(service);
        if (ofService.isEmpty()) {
            leases.remove(service);
            zone.applyService(SOURCE, service, null);
            return;
        }
        List<EndpointSpec> endpoints = new ArrayList<>(ofService.size());
        ofService.values().forEach(lease -> endpoints.add(new EndpointSpec(lease.address(), lease.weight())));
        zone.applyService(SOURCE, service, new ServiceSpec(service, PolicyName.DEFAULT, 1, config.ttl(),
                StaticFileParser.DEFAULT_PORT, HealthSpec.defaults(config.health()), List.copyOf(endpoints)));
    }

    /** Stops the periodic work: a timer firing after shutdown would find the beans gone. */
    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
