package dev.peak.dns.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.peak.dns.endpoint.Endpoint;

class WeightedPolicyTest {

    private static final int DRAWS = 40_000;

    @Test
    void weightedAnswersInProportionToWeights() {
        Endpoint heavy = Endpoints.endpoint("2001:db8::1", 3);
        Endpoint light = Endpoints.endpoint("2001:db8::2", 1);
        List<Endpoint> endpoints = List.of(heavy, light);
        WeightedPolicy policy = new WeightedPolicy();
        int heavyCount = 0;
        for (int i = 0; i < DRAWS; i++) {
            if (policy.select(endpoints, 1).get(0) == heavy) {
                heavyCount++;
            }
        }
        double share = heavyCount / (double) DRAWS;
        double sigma = Math.sqrt(0.75 * 0.25 / DRAWS);
        assertEquals(0.75, share, 5 * sigma, "3:1 weights");
    }

    @Test
    void weightedFollowsUnevenWeightsAcrossSeveralEndpoints() {
        List<Endpoint> endpoints = List.of(Endpoints.endpoint("2001:db8::1", 1), Endpoints.endpoint("2001:db8::2", 2),
                Endpoints.endpoint("2001:db8::3", 7));
        WeightedPolicy policy = new WeightedPolicy();
        long[] counts = new long[3];
        for (int i = 0; i < DRAWS; i++) {
            counts[endpoints.indexOf(policy.select(endpoints, 1).get(0))]++;
        }
        double chi = Endpoints.chiSquare(counts, new double[] {DRAWS * 0.1, DRAWS * 0.2, DRAWS * 0.7});
        assertTrue(chi < 30, () -> "chi-square " + chi + " for " + Arrays.toString(counts));
    }

    @Test
    void weightZeroIsNeverAnswered() {
        Endpoint drained = Endpoints.endpoint("2001:db8::1", 0);
        List<Endpoint> endpoints = List.of(drained, Endpoints.endpoint("2001:db8::2", 1), Endpoints.endpoint("2001:db8::3", 5));
        WeightedPolicy policy = new WeightedPolicy();
        for (int i = 0; i < 10_000; i++) {
            for (Endpoint e : policy.select(endpoints, 1 + i % 3)) {
                assertNotSame(drained, e);
            }
        }
    }

    @Test
    void allWeightsZeroAnswersUniformly() {
        List<Endpoint> endpoints = List.of(Endpoints.endpoint("2001:db8::1", 0), Endpoints.endpoint("2001:db8::2", 0));
        WeightedPolicy policy = new WeightedPolicy();
        long[] counts = new long[2];
        for (int i = 0; i < 10_000; i++) {
            counts[endpoints.indexOf(policy.select(endpoints, 1).get(0))]++;
        }
        double chi = Endpoints.chiSquare(counts, new double[] {5_000, 5_000});
        assertTrue(chi < 30, () -> Arrays.toString(counts));
    }

    @Test
    void weightedPicksDistinctEndpointsForKAboveOne() {
        List<Endpoint> endpoints = List.of(Endpoints.endpoint("2001:db8::1", 1), Endpoints.endpoint("2001:db8::2", 10),
                Endpoints.endpoint("2001:db8::3", 100), Endpoints.endpoint("2001:db8::4", 1));
        WeightedPolicy policy = new WeightedPolicy();
        for (int i = 0; i < 10_000; i++) {
            List<Endpoint> chosen = policy.select(endpoints, 3);
            assertEquals(3, chosen.size());
            assertEquals(3, new HashSet<>(chosen).size(), () -> "distinct: " + chosen);
        }
    }
}
