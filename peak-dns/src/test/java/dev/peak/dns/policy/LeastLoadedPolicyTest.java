package dev.peak.dns.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.peak.dns.endpoint.Endpoint;

class LeastLoadedPolicyTest {

    @Test
    void leastLoadedPicksTheLeastLoaded() {
        List<Endpoint> endpoints = Endpoints.of(3);
        endpoints.get(0).recordLoad(12, null);
        endpoints.get(1).recordLoad(3, null);
        endpoints.get(2).recordLoad(40, null);
        assertSame(endpoints.get(1), new LeastLoadedPolicy().select(endpoints, 1).get(0));
        assertEquals(List.of(endpoints.get(1), endpoints.get(0)), new LeastLoadedPolicy().select(endpoints, 2));
    }

    @Test
    void leastLoadedSpreadsAmongEqualLoads() {
        List<Endpoint> endpoints = Endpoints.of(4);
        LeastLoadedPolicy policy = new LeastLoadedPolicy();
        long[] counts = new long[4];
        for (int i = 0; i < 20_000; i++) {
            // nothing recorded as selected: every choice is among four equal loads
            counts[endpoints.indexOf(policy.select(endpoints, 1).get(0))]++;
        }
        double chi = Endpoints.chiSquare(counts, new double[] {5_000, 5_000, 5_000, 5_000});
        assertTrue(chi < 30, () -> "ties broken at random: " + Arrays.toString(counts));
    }

    @Test
    void answersSinceTheLastReadingPreventHerding() {
        // Between two load readings every query sees the same gauge; without counting the answers given
        // since, they would all go to the one endpoint that looked least loaded.
        List<Endpoint> endpoints = Endpoints.of(3);
        LeastLoadedPolicy policy = new LeastLoadedPolicy();
        for (int round = 0; round < 100; round++) {
            Set<Endpoint> seen = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                Endpoint chosen = policy.select(endpoints, 1).get(0);
                chosen.recordSelection(); // as ServiceState.select does
                assertTrue(seen.add(chosen), "round " + round + ": " + chosen + " chosen twice among equals");
            }
        }
    }

    @Test
    void nextAnswerGoesElsewhereAfterChoosingAnEndpoint() {
        List<Endpoint> endpoints = Endpoints.of(2);
        LeastLoadedPolicy policy = new LeastLoadedPolicy();
        Endpoint first = policy.select(endpoints, 1).get(0);
        first.recordSelection();
        assertNotSame(first, policy.select(endpoints, 1).get(0));
    }

    @Test
    void aNewReadingReplacesTheAnswersCountedSinceTheLast() {
        List<Endpoint> endpoints = Endpoints.of(2);
        Endpoint busy = endpoints.get(0);
        for (int i = 0; i < 10; i++) {
            busy.recordSelection();
        }
        assertSame(endpoints.get(1), new LeastLoadedPolicy().select(endpoints, 1).get(0));
        busy.recordLoad(0, null);
        endpoints.get(1).recordLoad(5, null);
        assertSame(busy, new LeastLoadedPolicy().select(endpoints, 1).get(0));
    }

    @Test
    void aSheddingEndpointRanksAfterEveryOtherThoughItHasTheLeastInFlight() {
        // a server that answers 503 at once keeps its in-flight gauge low exactly when it refuses work
        List<Endpoint> endpoints = Endpoints.of(2);
        Endpoint shedding = endpoints.get(0);
        shedding.recordLoad(0, 100.0);
        shedding.recordLoad(0, 180.0);
        endpoints.get(1).recordLoad(40, 7.0);
        LeastLoadedPolicy policy = new LeastLoadedPolicy();
        assertTrue(shedding.shedding());
        assertSame(endpoints.get(1), policy.select(endpoints, 1).get(0));
        assertEquals(1, policy.selectOne(endpoints.toArray(Endpoint[]::new)));
    }

    @Test
    void anEndpointShedsOnlyWhileItsCountGrows() {
        Endpoint endpoint = Endpoints.of(1).get(0);
        endpoint.recordLoad(0, 100.0);
        assertFalse(endpoint.shedding(), "a first reading has nothing to compare with");
        endpoint.recordLoad(0, 120.0);
        assertTrue(endpoint.shedding());
        endpoint.recordLoad(0, 120.0);
        assertFalse(endpoint.shedding(), "no request shed since the last reading");
        endpoint.recordLoad(0, null);
        endpoint.recordLoad(0, null);
        assertFalse(endpoint.shedding(), "an endpoint that exports no such counter never sheds");
    }

    @Test
    void amongSheddingEndpointsTheLeastLoadedStillWins() {
        List<Endpoint> endpoints = Endpoints.of(2);
        for (Endpoint e : endpoints) {
            e.recordLoad(0, 1.0);
        }
        endpoints.get(0).recordLoad(9, 2.0);
        endpoints.get(1).recordLoad(3, 2.0);
        assertSame(endpoints.get(1), new LeastLoadedPolicy().select(endpoints, 1).get(0));
    }
}
