package dev.peak.dns.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.peak.dns.endpoint.Endpoint;

/** k endpoints drawn uniformly without replacement (a partial Fisher–Yates shuffle of a copy). */
public final class RandomPolicy implements SelectionPolicy {

    @Override
    public List<Endpoint> select(List<Endpoint> candidates, int k) {
        int n = candidates.size();
        int count = Math.min(k, n);
        // Copy before shuffling: the candidate list is shared with other queries.
        List<Endpoint> pool = new ArrayList<>(candidates);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(n - i);
            Endpoint swap = pool.get(i);
            pool.set(i, pool.get(j));
            pool.set(j, swap);
        }
        return List.copyOf(pool.subList(0, count));
    }

    @Override
    public int selectOne(Endpoint[] candidates) {
        return ThreadLocalRandom.current().nextInt(candidates.length);
    }
}
