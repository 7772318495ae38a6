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

    /**
     * The index of one endpoint of {@code candidates} (never empty), chosen as {@link #select} would
     * choose one: the common answer of one address, on the query path, where it must not allocate.
     */
    int selectOne(Endpoint[] candidates);
}
