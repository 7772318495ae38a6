package dev.peak.dns.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.peak.dns.endpoint.Endpoint;

/**
 * k endpoints drawn without replacement, each in proportion to its weight (Efraimidis–Spirakis: key
 * -ln(u)/w, the k smallest keys win), so an endpoint of weight 3 is answered three times as often as
 * one of weight 1. Weight 0 is never answered unless all weights are 0.
 */
public final class WeightedPolicy implements SelectionPolicy {

    private record Keyed(Endpoint endpoint, double key) {
    }

    @Override
    public List<Endpoint> select(List<Endpoint> candidates, int k) {
        List<Endpoint> weighted = candidates.stream().filter(e -> e.weight() > 0).toList();
        if (weighted.isEmpty()) {
            return new RandomPolicy().select(candidates, k);
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Keyed> keyed = new ArrayList<>(weighted.size());
        for (Endpoint e : weighted) {
            // 1 - nextDouble() is in (0, 1]: never log(0)
            keyed.add(new Keyed(e, -Math.log(1.0 - random.nextDouble()) / e.weight()));
        }
        keyed.sort(Comparator.comparingDouble(Keyed::key));
        return keyed.stream().limit(k).map(Keyed::endpoint).toList();
    }

    /** One draw in proportion to weight: the k = 1 case of the keys above, in one pass over the weights. */
    @Override
    public int selectOne(Endpoint[] candidates) {
        long total = 0;
        for (Endpoint e : candidates) {
            total += e.weight();
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (total == 0) {
            return random.nextInt(candidates.length);
        }
        long ticket = random.nextLong(total);
        int i = 0;
        while (ticket >= candidates[i].weight()) {
            ticket -= candidates[i].weight();
            i++;
        }
        return i;
    }
}
