package dev.peak.model.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.peak.model.Architecture;
import dev.peak.model.Role;

class CapacityModelTest {

    private static final Costs RI1_PROXY = new Costs(Map.of(Role.SERVICE_A, 500.0, Role.PROXY, 100.0), 0);

    @Test
    void aProxysCeilingIsItsCpusOverItsCostPerRequest() {
        Deployment d = new Deployment(Architecture.PROXY, false, 10_000, 0, 1, 1, 1, 16, 0);

        CapacityEstimate c = CapacityModel.of(RI1_PROXY, d);

        assertEquals(16 * 1e6 / 100, c.maxRps(), 1e-6);
        assertEquals(Role.PROXY, c.bottleneck());
    }

    @Test
    void belowTheCeilingTheServersBind() {
        CapacityEstimate c = CapacityModel.of(RI1_PROXY, new Deployment(Architecture.PROXY, false, 10, 0, 1, 1, 1, 16, 0));

        assertEquals(10 * 1e6 / 500, c.maxRps(), 1e-6);
        assertEquals(Role.SERVICE_A, c.bottleneck());
        assertEquals(100.0 / 600, c.infraCpuShare(), 1e-9);
    }

    @Test
    void peakDnsCostsLessPerRequestTheMoreRequestsAClientMakesWithinOneTtl() {
        // measured with a new client per session of 10 requests: 20 µs per request, 200 µs per query
        Costs costs = new Costs(Map.of(Role.SERVICE_A, 500.0, Role.PEAK_DNS, 20.0), 0.1);
        Deployment tenPerTtl = new Deployment(Architecture.PEAK, false, 100, 0, 1, 1, 1, 1, 0.1);

        CapacityEstimate shortSessions = CapacityModel.of(costs, tenPerTtl);
        CapacityEstimate longSessions = CapacityModel.of(costs, tenPerTtl.withDnsQueriesPerRequest(0.001));

        assertEquals(20.0, shortSessions.infrastructureUs(), 1e-9);
        assertEquals(0.2, longSessions.infrastructureUs(), 1e-9);
        assertEquals(200_000 * 0.1, shortSessions.dnsQps(), 1e-6);
        // 20,000 queries/s at 200 µs each: 4 CPUs, so 4 replicas of 1 CPU
        assertEquals(4, shortSessions.dnsReplicasNeeded());
    }

    @Test
    void fixedDnsReplicasBecomeTheBottleneckWhenTheServersOutgrowThem() {
        Costs costs = new Costs(Map.of(Role.SERVICE_A, 500.0, Role.PEAK_DNS, 20.0), 0.1);

        CapacityEstimate c = CapacityModel.of(costs, new Deployment(Architecture.PEAK, false, 1_000, 1, 1, 1, 1, 1, 0.1));

        assertEquals(Role.PEAK_DNS, c.bottleneck());
        assertEquals(1e6 / 20, c.maxRps(), 1e-6);
    }

    @Test
    void theMeshsBusiestSidecarsAreAsWhichDoTwoOfEveryThreePasses() {
        Costs costs = new Costs(Map.of(Role.SERVICE_A, 300.0, Role.SERVICE_B, 300.0, Role.INGRESS, 100.0,
                Role.SIDECAR, 900.0), 0);

        CapacityEstimate c = CapacityModel.of(costs, new Deployment(Architecture.MESH, true, 10, 0, 1, 1, 1, 16, 0));

        assertEquals(Role.SIDECAR, c.bottleneck());
        assertEquals(10 * 1e6 / 600, c.maxRps(), 1e-6);
        assertEquals(1000.0 / 600, c.tax(), 1e-9);
    }

    @Test
    void aCostThatIsNotANumberIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Costs(Map.of(Role.SERVICE_A, Double.NaN), 0));
    }
}
