package dev.peak.dns.discovery;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * answers; {@code DELETE} removes at once. A registration may carry its service's settings, in the static
 * file's terms ({@link StaticFileParser#settings}); the service takes those of its oldest registration that
 * carries any, else the defaults. Settings of a source listed before {@code registry} win whole (the zone
 * merges).
 */
@ApplicationScoped
public class RegistryDiscovery {

    public static final String SOURCE = "registry";
    static final int MAX_ENDPOINTS = 10_000;

    /** One registered endpoint; {@code settings} is null when its registration carried none. */
    private record Lease(InetAddress address, int weight, Instant registered, Instant expires, ServiceSpec settings) {
    }

    private final DnsConfig config;
    private final Zone zone;
    private final Vertx vertx;
    private long timer = -1;
    private final Supplier<Instant> clock;
    private final StaticFileParser parser;
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
        this.parser = new StaticFileParser(config);
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

    /**
     * A service's settings as a registration gives them (a JSON object with the static file's keys of a
     * service but {@code endpoints}), or IllegalArgumentException naming the first mistake.
     */
    public ServiceSpec settings(String service, String json) {
        return parser.settings(service, json);
    }

    /** What a registration did: when its lease ends, and whether it changed the zone (not a plain renewal). */
    public record Registered(Instant expires, boolean changed) {
    }

    /**
     * Registers or renews. Each call states the whole registration: its weight, and its service's settings
     * ({@link #settings}), or null for none, dropping any an earlier call gave.
     */
    public synchronized Registered register(String service, InetAddress address, int weight, ServiceSpec settings) {
        String key = address.getHostAddress();
        TreeMap<String, Lease> ofService = leases.get(service);
        Lease previous = ofService == null ? null : ofService.get(key);
        if (previous == null && leaseCount >= MAX_ENDPOINTS) {
            throw new IllegalStateException("the registry holds " + MAX_ENDPOINTS + " endpoints already");
        }
        Instant now = clock.get();
        Instant expires = now.plus(config.registry().lease());
        // A renewal keeps its registration time: the oldest registration decides the settings.
        Instant registered = previous == null ? now : previous.registered();
        leases.computeIfAbsent(service, s -> new TreeMap<>()).put(key, new Lease(address, weight, registered, expires, settings));
        if (previous == null) {
            leaseCount++;
        }
        boolean changed = previous == null || previous.weight() != weight || !Objects.equals(previous.settings(), settings);
        if (changed) {
            publish(service);
        }
        return new Registered(expires, changed);
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
        Lease decides = null;
        for (Lease lease : ofService.values()) {
            endpoints.add(new EndpointSpec(lease.address(), lease.weight()));
            // Oldest first, ties to the address first in the map's (text) order: settings do not flap
            // between instances that disagree, and change hands only when the oldest leaves or drops them.
            if (lease.settings() != null && (decides == null || lease.registered().isBefore(decides.registered()))) {
                decides = lease;
            }
        }
        ServiceSpec settings = decides != null ? decides.settings() : new ServiceSpec(service, PolicyName.DEFAULT, 1,
                config.ttl(), StaticFileParser.DEFAULT_PORT, HealthSpec.defaults(config.health()), List.of());
        zone.applyService(SOURCE, service, settings.withEndpoints(endpoints));
    }

    /** Stops the periodic work: a timer firing after shutdown would find the beans gone. */
    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
