package dev.peak.model.capacity;

import java.util.Map;

import dev.peak.model.Role;

/**
 * What one primary request cost each role, in CPU microseconds, all its instances together, as the lab measured
 * it; and how many DNS queries per request the measurement made, so that peak-dns's cost can be carried to other
 * caching regimes (its cost is per query, not per request).
 *
 * @param usPerRequest         CPU µs per primary request by role; a role that is absent costs nothing
 * @param dnsQueriesPerRequest queries peak-dns answered per primary request while it was measured (the lab: every
 *                             session resolves each name once, so names / requests per session)
 */
public record Costs(Map<Role, Double> usPerRequest, double dnsQueriesPerRequest) {

    public Costs {
        usPerRequest.forEach((role, us) -> {
            if (!(us >= 0) || Double.isInfinite(us)) {
                throw new IllegalArgumentException(role.label() + " costs " + us + " µs per request: it must be finite and >= 0");
            }
        });
        if (usPerRequest.getOrDefault(Role.PEAK_DNS, 0.0) > 0 && !(dnsQueriesPerRequest > 0)) {
            throw new IllegalArgumentException("peak-dns has a cost, so the queries per request it was measured at must be > 0");
        }
        usPerRequest = Map.copyOf(usPerRequest);
    }

    public double us(Role role) {
        return usPerRequest.getOrDefault(role, 0.0);
    }

    /** peak-dns's CPU µs per query. */
    public double dnsUsPerQuery() {
        return dnsQueriesPerRequest > 0 ? us(Role.PEAK_DNS) / dnsQueriesPerRequest : 0;
    }

    /** The servers' µs per request: A and B. */
    public double serversUs() {
        return us(Role.SERVICE_A) + us(Role.SERVICE_B);
    }
}
