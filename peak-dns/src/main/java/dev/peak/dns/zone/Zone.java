package dev.peak.dns.zone;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.peak.dns.config.DnsConfig;
import dev.peak.dns.endpoint.Endpoint;
import dev.peak.dns.policy.SelectionPolicy;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The live zone: the services every discovery source reports, merged, with the health and load
 * state of their endpoints. A source replaces its own part whole ({@link #apply}) or one service of it
 * ({@link #applyService}); only the services whose merged spec changed get a new {@link ServiceState},
 * and endpoints that survive an update keep their state. The query path reads an immutable snapshot
 * without locking.
 */
@Singleton // called per query: an @ApplicationScoped client proxy looks its bean up on every call (profiled)
public class Zone {

    private static final Logger LOG = Logger.getLogger(Zone.class);
    static final String SELECTIONS = "peak.dns.selections";

    private final List<String> sourceOrder;
    private final MeterRegistry registry;
    /** Source → its services; the inner maps change only under the zone's lock. */
    private final Map<String, Map<String, ServiceSpec>> bySource = new ConcurrentHashMap<>();
    private final Map<Endpoint, Meter.Id> selectionMeters = new IdentityHashMap<>();
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
        Set<String> touched = new LinkedHashSet<>(bySource.getOrDefault(source, Map.of()).keySet());
        touched.addAll(specs.keySet());
        bySource.put(source, new HashMap<>(specs));
        rebuild(source, touched);
    }

    /**
     * Replaces what {@code source} knows of one service, {@code spec} null when it knows it no more;
     * every other service keeps its state object, its endpoints' health and its policy's cursor.
     */
    public synchronized void applyService(String source, String name, ServiceSpec spec) {
        Map<String, ServiceSpec> known = bySource.computeIfAbsent(source, s -> new HashMap<>());
        if (spec == null) {
            known.remove(name);
        } else {
            known.put(name, spec);
        }
        rebuild(source, Set.of(name));
    }

    /** Recomputes the merged spec of these services and replaces the state of those whose spec changed. */
    private void rebuild(String source, Set<String> names) {
        List<String> order = orderedSources();
        Map<String, ServiceState> next = new HashMap<>(services);
        int replaced = 0;
        for (String name : names) {
            ServiceState previous = services.get(name);
            ServiceSpec merged = merged(name, order);
            if (previous == null ? merged == null : previous.spec().equals(merged)) {
                continue;
            }
            ServiceState state = merged == null ? null : state(merged, previous);
            if (state == null) {
                next.remove(name);
            } else {
                next.put(name, state);
            }
            updateSelectionMeters(name, previous, state);
            replaced++;
        }
        if (replaced > 0) {
            services = Map.copyOf(next);
            changed();
        }
        LOG.debugf("source %s: %d of %d services replaced; zone now %d services", source, replaced, names.size(), next.size());
    }

    private ServiceSpec merged(String name, List<String> order) {
        ServiceSpec merged = null;
        for (String source : order) {
            ServiceSpec spec = bySource.getOrDefault(source, Map.of()).get(name);
            if (spec != null) {
                merged = merged == null ? spec : union(merged, spec);
            }
        }
        return merged;
    }

    /** The new state of a service: endpoints with the same address and weight as before keep their state. */
    private static ServiceState state(ServiceSpec spec, ServiceState previous) {
        Map<ServiceSpec.EndpointSpec, Endpoint> before = new HashMap<>();
        if (previous != null) {
            previous.endpoints().forEach(e -> before.put(new ServiceSpec.EndpointSpec(e.address(), e.weight()), e));
        }
        List<Endpoint> endpoints = new ArrayList<>(spec.endpoints().size());
        for (ServiceSpec.EndpointSpec e : spec.endpoints()) {
            Endpoint endpoint = before.get(e);
            if (endpoint == null) {
                endpoint = new Endpoint(e.address(), e.weight());
                if (spec.health().interval().isZero()) {
                    endpoint.assumeHealthy();
                }
            }
            endpoints.add(endpoint);
        }
        // Keep the policy (and so a round-robin cursor) while the policy name stays the same.
        SelectionPolicy policy = previous != null && previous.spec().policy() == spec.policy()
                ? previous.policy() : spec.policy().create();
        return new ServiceState(spec, endpoints, policy);
    }

    private List<String> orderedSources() {
        List<String> order = new ArrayList<>(sourceOrder);
        bySource.keySet().stream().filter(s -> !order.contains(s)).sorted().forEach(order::add);
        return order;
    }

    private static ServiceSpec union(ServiceSpec first, ServiceSpec second) {
        List<ServiceSpec.EndpointSpec> endpoints = new ArrayList<>(first.endpoints());
        Set<InetAddress> present = new HashSet<>();
        first.endpoints().forEach(e -> present.add(e.address()));
        for (ServiceSpec.EndpointSpec e : second.endpoints()) {
            if (present.add(e.address())) {
                endpoints.add(e);
            }
        }
        return first.withEndpoints(endpoints);
    }

    /**
     * One counter per (service, endpoint) that exists now: the label set is bounded by the zone. An
     * endpoint whose weight changed is a new Endpoint under the same tags, so the old meter goes first.
     */
    private void updateSelectionMeters(String name, ServiceState previous, ServiceState next) {
        Set<Endpoint> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        if (next != null) {
            kept.addAll(next.endpoints());
        }
        if (previous != null) {
            for (Endpoint gone : previous.endpoints()) {
                if (!kept.contains(gone)) {
                    registry.remove(selectionMeters.remove(gone));
                }
            }
        }
        if (next != null) {
            for (Endpoint endpoint : next.endpoints()) {
                selectionMeters.computeIfAbsent(endpoint, e -> FunctionCounter.builder(SELECTIONS, e, Endpoint::selections)
                        .description("Answers that carried this endpoint")
                        .tag("service", name)
                        .tag("endpoint", e.text())
                        .register(registry).getId());
            }
        }
    }
}
