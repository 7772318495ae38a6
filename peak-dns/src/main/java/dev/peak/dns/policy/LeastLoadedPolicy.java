package dev.peak.dns.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.peak.dns.endpoint.Endpoint;

/**
 * The k endpoints with the least estimated load (their in-flight gauge, read by the health checker,
 * plus answers given since), ties broken at random; in the spirit of CERN's metric-based DNS load
 * balancing.
 */
public final class LeastLoadedPolicy implements SelectionPolicy {

    @Override
    public List<Endpoint> select(List<Endpoint> candidates, int k) {
        // Shuffle a copy, then sort stably: equal loads end up in random order.
        List<Endpoint> pool = new ArrayList<>(candidates);
        Collections.shuffle(pool, ThreadLocalRandom.current());
        pool.sort(Comparator.comparingDouble(Endpoint::estimatedLoad));
        return List.copyOf(pool.subList(0, Math.min(k, pool.size())));
    }
}
