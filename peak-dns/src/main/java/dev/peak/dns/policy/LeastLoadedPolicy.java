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

    /** The least loaded; among equal loads each is as likely (reservoir sampling over the ties). */
    @Override
    public int selectOne(Endpoint[] candidates) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int best = 0;
        double least = candidates[0].estimatedLoad();
        int ties = 1;
        for (int i = 1; i < candidates.length; i++) {
            double load = candidates[i].estimatedLoad();
            if (load < least) {
                best = i;
                least = load;
                ties = 1;
            } else if (load == least && random.nextInt(++ties) == 0) {
                best = i;
            }
        }
        return best;
    }
}
