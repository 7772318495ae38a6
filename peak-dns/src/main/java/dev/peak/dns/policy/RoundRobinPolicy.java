package dev.peak.dns.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.peak.dns.endpoint.Endpoint;

/** Each answer starts one endpoint further than the previous: exact rotation across all queries. */
public final class RoundRobinPolicy implements SelectionPolicy {

    private final AtomicLong cursor = new AtomicLong();

    @Override
    public List<Endpoint> select(List<Endpoint> candidates, int k) {
        int n = candidates.size();
        if (n == 0) {
            return List.of();
        }
        int start = (int) Math.floorMod(cursor.getAndIncrement(), (long) n);
        int count = Math.min(k, n);
        List<Endpoint> chosen = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            chosen.add(candidates.get((start + i) % n));
        }
        return chosen;
    }

    @Override
    public int selectOne(Endpoint[] candidates) {
        return (int) Math.floorMod(cursor.getAndIncrement(), (long) candidates.length);
    }
}
