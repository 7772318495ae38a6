package dev.peak.dns.zone;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.peak.dns.config.DnsConfig;
import dev.peak.dns.endpoint.Endpoint;
import dev.peak.dns.policy.SelectionPolicy;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The live zone: the services every discovery source reports, merged, with the health and load
 * state of their endpoints. Sources replace their own part whole ({@link #apply}); endpoints that
 * survive an update keep their state. The query path reads an immutable snapshot without locking.
 */
@ApplicationScoped
public class Zone {

    private static final Logger LOG = Logger.getLogger(Zone.class);
    static final String SELECTIONS = "peak.dns.selections";

    private final List<String> sourceOrder;
    private final MeterRegistry registry;
    private final Map<String, Map<String, ServiceSpec>> bySource = new ConcurrentHashMap<>();
    private final Map<String, Endpoint> endpointState = new HashMap<>();
    private final Map<String, SelectionMeter> selectionMeters = new HashMap<>();
    private final AtomicLong version = new AtomicLong();
    private volatile Map<String, ServiceState> services = Map.of();

    public Zone(DnsConfig config, MeterRegistry registry) {
        this.sourceOrder = config.discovery().stream().map(s -> s.strip().toLowerCase(Locale.ROOT)).toList();
        this.registry = registry;
    }

    /** The service answering for this DNS label (lower case), or null. */
    public ServiceState service(String label) {
        return services.get(label);
    }

    public Collection<ServiceState> services() {
        return services.values();
    }

    /** Increases whenever anything an answer depends on changes (for caches of answers). */
    public long version() {
        return version.get();
    }

    /** Health or policy inputs changed outside {@link #apply}: answers computed before are stale. */
    public void changed() {
        version.incrementAndGet();
    }

    /** Whether this source has reported at least once. */
    public boolean hasReported(String source) {
        return bySource.containsKey(source);
    }

    /**
     * Replaces everything {@code source} knows. A service reported by several sources takes its
     * settings from the source listed first in {@code peak.dns.discovery} and the union of their endpoints.
     */
    public synchronized void apply(String source, Map<String, ServiceSpec> specs) {
        bySource.put(source, Map.copyOf(specs));
        Map<String, ServiceSpec> merged = new LinkedHashMap<>();
        for (String s : orderedSources()) {
            for (ServiceSpec spec : bySource.getOrDefault(s, Map.of()).values()) {
                merged.merge(spec.name(), spec, Zone::union);
            }
        }
        Map<String, ServiceState> next = new HashMap<>();
        Map<String, Endpoint> liveEndpoints = new HashMap<>();
        for (ServiceSpec spec : merged.values()) {
            ServiceState previous = services.get(spec.name());
            List<Endpoint> endpoints = new ArrayList<>();
            for (ServiceSpec.EndpointSpec e : spec.endpoints()) {
                String key = spec.name() + "|" + e.address().getHostAddress() + "|" + e.weight();
                Endpoint endpoint = endpointState.get(key);
                if (endpoint == null) {
                    endpoint = new Endpoint(e.address(), e.weight());
                    if (spec.health().interval().isZero()) {
                        endpoint.assumeHealthy();
                    }
                }
                liveEndpoints.put(key, endpoint);
                endpoints.add(endpoint);
            }
            // Keep the policy (and so a round-robin cursor) while the policy name stays the same.
            SelectionPolicy policy = previous != null && previous.spec().policy() == spec.policy()
                    ? previous.policy() : spec.policy().create();
            next.put(spec.name(), new ServiceState(spec, endpoints, policy));
        }
        updateSelectionMeters(next);
        endpointState.keySet().retainAll(liveEndpoints.keySet());
        endpointState.putAll(liveEndpoints);
        services = Map.copyOf(next);
        changed();
        LOG.debugf("source %s: %d services; zone now %d services", source, specs.size(), next.size());
    }

    private List<String> orderedSources() {
        List<String> order = new ArrayList<>(sourceOrder);
        bySource.keySet().stream().filter(s -> !order.contains(s)).sorted().forEach(order::add);
        return order;
    }

    private static ServiceSpec union(ServiceSpec first, ServiceSpec second) {
        List<ServiceSpec.EndpointSpec> endpoints = new ArrayList<>(first.endpoints());
        for (ServiceSpec.EndpointSpec e : second.endpoints()) {
            InetAddress address = e.address();
            if (endpoints.stream().noneMatch(x -> x.address().equals(address))) {
                endpoints.add(e);
            }
        }
        return first.withEndpoints(endpoints);
    }

    /** One counter per (service, endpoint) that exists now: the label set is bounded by the zone. */
    private void updateSelectionMeters(Map<String, ServiceState> next) {
        Map<String, SelectionMeter> live = new HashMap<>();
        for (ServiceState service : next.values()) {
            for (Endpoint endpoint : service.endpoints()) {
                String key = service.spec().name() + "|" + endpoint.text();
                SelectionMeter meter = selectionMeters.remove(key);
                if (meter != null && meter.endpoint() != endpoint) {
                    registry.remove(meter.id());
                    meter = null;
                }
                if (meter == null) {
                    meter = new SelectionMeter(endpoint, FunctionCounter.builder(SELECTIONS, endpoint, Endpoint::selections)
                            .description("Answers that carried this endpoint")
                            .tag("service", service.spec().name())
                            .tag("endpoint", endpoint.text())
                            .register(registry).getId());
                }
                live.put(key, meter);
            }
        }
        selectionMeters.values().forEach(gone -> registry.remove(gone.id()));
        selectionMeters.clear();
        selectionMeters.putAll(live);
    }

    private record SelectionMeter(Endpoint endpoint, Meter.Id id) {
    }
}
