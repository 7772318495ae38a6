package dev.peak.dns.policy;

import java.util.List;

import dev.peak.dns.endpoint.Endpoint;

/**
 * Decides which k addresses one answer carries: the load balancing of PEAK. Clients sort multi-address
 * answers themselves (RFC 6724) and defeat any order we give, so the spread comes from this choice per
 * query, with k = 1 by default.
 */
public interface SelectionPolicy {

    /**
     * Chooses min(k, candidates) distinct endpoints. Must not modify {@code candidates}: the list is
     * shared with other queries and the health checker.
     */
    List<Endpoint> select(List<Endpoint> candidates, int k);

    /** The policy named in the configuration; each service gets its own instance (round-robin keeps a cursor). */
    static SelectionPolicy named(String name) {
        return switch (name) {
            case "round-robin" -> new RoundRobinPolicy();
            case "random" -> new RandomPolicy();
            case "weighted" -> new WeightedPolicy();
            case "least-loaded" -> new LeastLoadedPolicy();
            default -> throw new IllegalArgumentException(
                    "unknown policy '" + name + "': use round-robin, random, weighted or least-loaded");
        };
    }

    List<String> NAMES = List.of("round-robin", "random", "weighted", "least-loaded");
}
