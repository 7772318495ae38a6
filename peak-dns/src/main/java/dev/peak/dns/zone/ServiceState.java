package dev.peak.dns.zone;

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
     * The endpoints one answer of this family carries, chosen by the policy among the healthy ones.
     * When none is healthy the policy chooses among all of them (fail open): a wrong health check
     * must not black-hole a service that may still be serving.
     */
    public List<Endpoint> select(boolean ipv6) {
        List<Endpoint> family = endpoints.stream().filter(e -> e.ipv6() == ipv6).toList();
        List<Endpoint> healthy = family.stream().filter(Endpoint::healthy).toList();
        List<Endpoint> chosen = policy.select(healthy.isEmpty() ? family : healthy, spec.answerSize());
        chosen.forEach(Endpoint::recordSelection);
        return chosen;
    }
}
