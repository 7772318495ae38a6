package dev.peak.model.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.peak.model.Architecture;
import dev.peak.model.Role;
import dev.peak.model.capacity.Costs;
import dev.peak.model.capacity.Deployment;

class SimulationTest {

    /** One server of {@code cpus} CPUs, 1 ms per request: μ = 1000/s per CPU; one request per session, so arrivals are Poisson. */
    private static Scenario queue(double cpus, double offeredRps) {
        Deployment d = new Deployment(Architecture.DIRECT, false, 1, 1, cpus, 1, 1, 1, 0);
        Costs costs = new Costs(Map.of(Role.SERVICE_A, 1000.0), 0);
        return Scenario.lab(d, costs, offeredRps, 400_000).withServiceCv(1, 1, 0);
    }

    private static Scenario peak(int servers, double offeredRps, long sessions) {
        Deployment d = new Deployment(Architecture.PEAK, false, servers, 1, 1, 1, 1, 1, 0.1);
        Costs costs = new Costs(Map.of(Role.SERVICE_A, 1000.0, Role.PEAK_DNS, 2.0), 0.1);
        return Scenario.lab(d, costs, offeredRps, sessions);
    }

    @Test
    void anMM1MeanResponseTimeIsOneOverMuMinusLambda() {
        SimulationResult r = Simulation.run(queue(1, 700));

        assertEquals(1000.0 / (1000 - 700), r.meanMs(), 0.05 * 1000.0 / 300);
    }

    @Test
    void anMMcMeanResponseTimeFollowsErlangC() {
        double lambda = 1500;
        double mu = 1000;
        int c = 2;
        double a = lambda / mu;
        double rho = a / c;
        // Erlang C: the probability of waiting, then W = C / (cμ − λ) + 1/μ
        double sum = 0;
        double term = 1;
        for (int k = 0; k < c; k++) {
            sum += term;
            term = term * a / (k + 1);
        }
        double top = term / (1 - rho);
        double wait = top / (sum + top) / (c * mu - lambda);
        double expectedMs = (wait + 1 / mu) * 1000;

        SimulationResult r = Simulation.run(queue(c, lambda));

        assertEquals(expectedMs, r.meanMs(), 0.05 * expectedMs);
    }

    @Test
    void constantServiceTimesAtLowLoadTakeTheServiceTime() {
        SimulationResult r = Simulation.run(queue(1, 10).withServiceCv(0, 1, 0).withSessions(2_000, 10));

        assertEquals(1.0, r.p99Ms(), 0.01);
    }

    @Test
    void roundRobinOverManyClientsWithAShortTtlIsFair() {
        Scenario s = peak(10, 5_000, 200_000).withClients(10_000, 1, false);

        SimulationResult r = Simulation.run(s);

        assertTrue(r.jain() >= 0.99, "Jain " + r.jain());
        assertEquals(0, r.errors());
    }

    @Test
    void fewClientsWithALongTtlUnbalanceTheServersARandomPolicyGivesThem() {
        Scenario s = peak(10, 5_000, 100_000).withClients(3, 100, false).withPolicy(Policy.RANDOM);

        SimulationResult r = Simulation.run(s);

        assertTrue(r.jain() < 0.7, "Jain " + r.jain());
    }

    @Test
    void aKilledServersErrorWindowIsBoundedByTheTtlPlusFallTimesTheInterval() {
        double ttl = 5;
        Scenario s = peak(4, 2_000, 60_000).withClients(2_000, ttl, false).withHealth(1, 2, 2)
                .withFaults(List.of(new Fault(Fault.Kind.KILL_SERVER, 10, 0)));

        SimulationResult r = Simulation.run(s);

        assertTrue(r.errorsAfterFault() > 0, "the kill cost no request");
        // whole seconds, as the lab counts them: one more for the seconds the window straddles
        assertTrue(r.errorWindowS() <= ttl + 2 * 1 + 1, "error window " + r.errorWindowS());
    }

    @Test
    void aRestartedServerTakesRequestsAgainAfterRiseGoodProbes() {
        Scenario killed = peak(2, 1_000, 20_000).withHealth(1, 2, 2)
                .withFaults(List.of(new Fault(Fault.Kind.KILL_SERVER, 20, 0)));
        Scenario restarted = killed.withFaults(List.of(new Fault(Fault.Kind.KILL_SERVER, 20, 0),
                new Fault(Fault.Kind.RESTART_SERVER, 40, 0)));

        SimulationResult without = Simulation.run(killed);
        SimulationResult with = Simulation.run(restarted);

        // 200 s of load; the server is out for about 20 s instead of 180
        assertTrue(without.jain() < 0.75, "without a restart: Jain " + without.jain());
        assertTrue(with.jain() > 0.95, "with a restart: Jain " + with.jain());
    }

    @Test
    void javasThirtySecondCacheOutlivesAShortTtlAfterAKill() {
        Scenario s = peak(4, 2_000, 120_000).withClients(2_000, 1, true)
                .withFaults(List.of(new Fault(Fault.Kind.KILL_SERVER, 10, 0)));

        SimulationResult r = Simulation.run(s);

        assertTrue(r.errorWindowS() > 20, "error window " + r.errorWindowS());
    }

    @Test
    void aProxyRetriesTheRequestsOfAKilledServerElsewhereSoNoneFails() {
        Deployment d = new Deployment(Architecture.PROXY, false, 4, 1, 1, 1, 1, 4, 0);
        Costs costs = new Costs(Map.of(Role.SERVICE_A, 1000.0, Role.PROXY, 100.0), 0);
        Scenario s = Scenario.lab(d, costs, 2_000, 5_000).withFaults(List.of(new Fault(Fault.Kind.KILL_SERVER, 10, 0)));

        SimulationResult r = Simulation.run(s);

        assertEquals(0, r.errors());
    }

    @Test
    void aDeadDnsReplicaCostsTheResolverTimeoutNotTheRequests() {
        Deployment d = new Deployment(Architecture.PEAK, false, 2, 2, 1, 1, 1, 1, 0.1);
        Costs costs = new Costs(Map.of(Role.SERVICE_A, 1000.0, Role.PEAK_DNS, 2.0), 0.1);
        Scenario s = Scenario.lab(d, costs, 500, 5_000).withFaults(List.of(new Fault(Fault.Kind.KILL_DNS_REPLICA, 2, 0)));

        SimulationResult r = Simulation.run(s);

        assertEquals(0, r.errors());
    }

    @Test
    void leastLoadedSpreadsLoadDespiteReadingsOneIntervalOld() {
        Scenario s = peak(10, 5_000, 100_000).withPolicy(Policy.LEAST_LOADED);

        SimulationResult r = Simulation.run(s);

        assertTrue(r.jain() >= 0.99, "Jain " + r.jain());
    }

    @Test
    void theMaxRateIsTheOfferedRateOverTheBusiestUtilisation() {
        SimulationResult r = Simulation.run(peak(4, 2_000, 50_000));

        // 4 servers of 1 CPU at 1 ms: 4,000/s; round robin keeps them even
        assertEquals(4_000, r.maxRps(), 4_000 * 0.05);
        assertEquals("a", r.busiest().substring(0, 1));
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        Scenario s = peak(5, 2_000, 20_000);

        assertEquals(Simulation.run(s).meanMs(), Simulation.run(s).meanMs());
    }
}
