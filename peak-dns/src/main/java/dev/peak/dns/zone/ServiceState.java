package dev.peak.dns.zone;

import java.util.Arrays;
import java.util.List;

import dev.peak.dns.endpoint.Endpoint;
import dev.peak.dns.policy.SelectionPolicy;

/** A service as the query path sees it: its settings, its live endpoints and its selection policy. */
public final class ServiceState {

    private final ServiceSpec spec;
    private final List<Endpoint> endpoints;
    private final SelectionPolicy policy;

    ServiceState(ServiceSpec spec, List<Endpoint> endpoints, SelectionPolicy policy) {
        this.spec = spec;
        this.endpoints = List.copyOf(endpoints);
        this.policy = policy;
    }

    public ServiceSpec spec() {
        return spec;
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }

    SelectionPolicy policy() {
        return policy;
    }

    /** True when some endpoint has an address of this family (AAAA for IPv6, A for IPv4). */
    public boolean hasFamily(boolean ipv6) {
        return endpoints.stream().anyMatch(e -> e.ipv6() == ipv6);
    }

    /**
     * The endpoints the policy chooses among for an answer of this family: the healthy ones, or all
     * of them when none is healthy (fail open: a wrong health check must not black-hole a service that
     * may still be serving). Valid until the zone's version changes, which every health change does.
     */
    public Endpoint[] candidates(boolean ipv6) {
        Endpoint[] family = endpoints.stream().filter(e -> e.ipv6() == ipv6).toArray(Endpoint[]::new);
        Endpoint[] healthy = Arrays.stream(family).filter(Endpoint::healthy).toArray(Endpoint[]::new);
        return healthy.length == 0 ? family : healthy;
    }

    /** Whether an answer carries one address, the case the query path serves without allocating. */
    public boolean answersOne() {
        return spec.answerSize() == 1;
    }

    /** The index of the one endpoint of {@code candidates} (not empty) the next answer carries, counted as answered. */
    public int selectOne(Endpoint[] candidates) {
        int chosen = policy.selectOne(candidates);
        candidates[chosen].recordSelection();
        return chosen;
    }

    /** The endpoints one answer of this family carries, chosen by the policy among the {@link #candidates}. */
    public List<Endpoint> select(boolean ipv6) {
        Endpoint[] candidates = candidates(ipv6);
        if (candidates.length == 0) {
            return List.of();
        }
        if (answersOne()) {
            return List.of(candidates[selectOne(candidates)]);
        }
        List<Endpoint> chosen = policy.select(Arrays.asList(candidates), spec.answerSize());
        chosen.forEach(Endpoint::recordSelection);
        return chosen;
    }
}
