package dev.peak.dns.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.peak.dns.endpoint.Endpoint;

class RandomPolicyTest {

    private static final int DRAWS = 30_000;

    @Test
    void randomIsUniformForOne() {
        List<Endpoint> endpoints = Endpoints.of(3);
        RandomPolicy policy = new RandomPolicy();
        long[] counts = new long[3];
        for (int i = 0; i < DRAWS; i++) {
            counts[endpoints.indexOf(policy.select(endpoints, 1).get(0))]++;
        }
        double chi = Endpoints.chiSquare(counts, new double[] {DRAWS / 3.0, DRAWS / 3.0, DRAWS / 3.0});
        assertTrue(chi < 30, () -> "chi-square " + chi + " for " + Arrays.toString(counts));
    }

    @Test
    void randomPicksDistinctEndpointsForKAboveOne() {
        List<Endpoint> endpoints = Endpoints.of(5);
        RandomPolicy policy = new RandomPolicy();
        long[] inclusions = new long[5];
        for (int i = 0; i < DRAWS; i++) {
            List<Endpoint> chosen = policy.select(endpoints, 3);
            assertEquals(3, chosen.size());
            assertEquals(3, new HashSet<>(chosen).size(), () -> "distinct: " + chosen);
            chosen.forEach(e -> inclusions[endpoints.indexOf(e)]++);
        }
        // every endpoint is in 3 of 5 answers
        double[] expected = new double[5];
        Arrays.fill(expected, DRAWS * 3 / 5.0);
        double chi = Endpoints.chiSquare(inclusions, expected);
        assertTrue(chi < 30, () -> "chi-square " + chi + " for " + Arrays.toString(inclusions));
    }

    @Test
    void randomFirstPositionIsUniformForKAboveOne() {
        // Clients take the first address more often than the others: it must not favour anyone.
        List<Endpoint> endpoints = Endpoints.of(4);
        RandomPolicy policy = new RandomPolicy();
        long[] first = new long[4];
        for (int i = 0; i < DRAWS; i++) {
            first[endpoints.indexOf(policy.select(endpoints, 2).get(0))]++;
        }
        double chi = Endpoints.chiSquare(first, new double[] {DRAWS / 4.0, DRAWS / 4.0, DRAWS / 4.0, DRAWS / 4.0});
        assertTrue(chi < 30, () -> "chi-square " + chi + " for " + Arrays.toString(first));
    }

    @Test
    void randomAnswersAllWhenKExceedsTheCandidates() {
        List<Endpoint> endpoints = Endpoints.of(3);
        assertEquals(new HashSet<>(endpoints), new HashSet<>(new RandomPolicy().select(endpoints, 16)));
    }
}
