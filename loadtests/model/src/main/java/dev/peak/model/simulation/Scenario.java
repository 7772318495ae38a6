package dev.peak.model.simulation;

import java.util.List;

import dev.peak.model.capacity.Costs;
import dev.peak.model.capacity.Deployment;

/**
 * One simulation's inputs.
 *
 * @param deployment        the variant and its size; its dnsReplicas must be ≥ 1 here
 * @param costs             the lab's CPU per primary request by role
 * @param serviceCv         coefficient of variation of one visit's CPU time around its mean (gamma distributed): 1
 *                          makes it exponential, 0 constant
 * @param requestsPerSession primary requests of one session, one after the other (the lab's k)
 * @param sessions          client sessions to simulate
 * @param offeredRps        primary requests per second offered: sessions arrive as a Poisson process at
 *                          offeredRps / requestsPerSession (open model)
 * @param clients           clients the sessions belong to, each with its own DNS cache; 0: every session is a new
 *                          client with an empty cache (the lab's generator)
 * @param ttlS              the TTL of peak-dns's answers
 * @param javaCache         clients cache every answer for 30 s whatever its TTL (the JDK's default,
 *                          networkaddress.cache.ttl, without a security manager)
 * @param policy            peak-dns's selection policy
 * @param proxyLeastConnections the proxy, ingress and sidecars balance by fewest requests in progress (else round
 *                          robin)
 * @param healthIntervalS   every health checker probes each server this often
 * @param fall              consecutive failed probes that take a server out
 * @param rise              consecutive successful probes that bring it back
 * @param hopDelayUs        one-way network delay of every hop between two processes
 * @param resolverTimeoutS  how long a resolver waits for one peak-dns replica before it asks the next
 * @param faults            what happens during the run
 * @param seed              of the random streams: the same scenario and seed give the same result
 */
public record Scenario(Deployment deployment, Costs costs, double serviceCv, int requestsPerSession, long sessions,
                       double offeredRps, int clients, double ttlS, boolean javaCache, Policy policy,
                       boolean proxyLeastConnections, double healthIntervalS, int fall, int rise, double hopDelayUs,
                       double resolverTimeoutS, List<Fault> faults, long seed) {

    /** The lab's TTL of peak-dns's answers. */
    public static final double LAB_TTL_S = 1;
    /** The lab's one-way delay per hop on loopback, about what its p50 shows. */
    public static final double LAB_HOP_DELAY_US = 20;
    /** A visit's CPU time varies as an exponential's does unless a scenario says otherwise. */
    public static final double SERVICE_CV = 1;
    /** The JDK caches a successful lookup this long by default. */
    public static final double JAVA_CACHE_S = 30;

    public Scenario {
        if (deployment.dnsReplicas() < 1) {
            throw new IllegalArgumentException("a simulation needs at least one peak-dns replica (the deployment says "
                    + deployment.dnsReplicas() + ")");
        }
        if (requestsPerSession < 1 || sessions < 1 || !(offeredRps > 0) || clients < 0) {
            throw new IllegalArgumentException("a scenario needs requestsPerSession, sessions and offeredRps > 0, and "
                    + "clients >= 0");
        }
        if (!(serviceCv >= 0) || !(ttlS >= 0) || !(healthIntervalS > 0) || fall < 1 || rise < 1 || !(hopDelayUs >= 0)
                || !(resolverTimeoutS > 0)) {
            throw new IllegalArgumentException("serviceCv, ttlS and hopDelayUs must be >= 0; healthIntervalS and "
                    + "resolverTimeoutS > 0; fall and rise >= 1");
        }
        faults = List.copyOf(faults);
    }

    /** The lab's settings: every session a new client, TTL 1 s, round robin, checks every 1 s, fall 2, rise 2. */
    public static Scenario lab(Deployment deployment, Costs costs, double offeredRps, long sessions) {
        return new Scenario(deployment, costs, SERVICE_CV, 10, sessions, offeredRps, 0, LAB_TTL_S, false,
                Policy.ROUND_ROBIN, true, 1, 2, 2, LAB_HOP_DELAY_US, 1, List.of(), 1);
    }

    public Scenario withSessions(long sessions, double offeredRps) {
        return new Scenario(deployment, costs, serviceCv, requestsPerSession, sessions, offeredRps, clients, ttlS,
                javaCache, policy, proxyLeastConnections, healthIntervalS, fall, rise, hopDelayUs, resolverTimeoutS,
                faults, seed);
    }

    public Scenario withClients(int clients, double ttlS, boolean javaCache) {
        return new Scenario(deployment, costs, serviceCv, requestsPerSession, sessions, offeredRps, clients, ttlS,
                javaCache, policy, proxyLeastConnections, healthIntervalS, fall, rise, hopDelayUs, resolverTimeoutS,
                faults, seed);
    }

    public Scenario withPolicy(Policy policy) {
        return new Scenario(deployment, costs, serviceCv, requestsPerSession, sessions, offeredRps, clients, ttlS,
                javaCache, policy, proxyLeastConnections, healthIntervalS, fall, rise, hopDelayUs, resolverTimeoutS,
                faults, seed);
    }

    public Scenario withHealth(double intervalS, int fall, int rise) {
        return new Scenario(deployment, costs, serviceCv, requestsPerSession, sessions, offeredRps, clients, ttlS,
                javaCache, policy, proxyLeastConnections, intervalS, fall, rise, hopDelayUs, resolverTimeoutS, faults,
                seed);
    }

    public Scenario withFaults(List<Fault> faults) {
        return new Scenario(deployment, costs, serviceCv, requestsPerSession, sessions, offeredRps, clients, ttlS,
                javaCache, policy, proxyLeastConnections, healthIntervalS, fall, rise, hopDelayUs, resolverTimeoutS,
                faults, seed);
    }

    public Scenario withServiceCv(double serviceCv, int requestsPerSession, double hopDelayUs) {
        return new Scenario(deployment, costs, serviceCv, requestsPerSession, sessions, offeredRps, clients, ttlS,
                javaCache, policy, proxyLeastConnections, healthIntervalS, fall, rise, hopDelayUs, resolverTimeoutS,
                faults, seed);
    }

    /** How long a client keeps an answer. */
    double cacheS() {
        return javaCache ? JAVA_CACHE_S : ttlS;
    }
}
