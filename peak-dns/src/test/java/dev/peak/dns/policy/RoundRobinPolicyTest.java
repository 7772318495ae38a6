package dev.peak.dns.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.peak.dns.endpoint.Endpoint;

class RoundRobinPolicyTest {

    @Test
    void roundRobinRotatesExactlyOneStepPerAnswer() {
        List<Endpoint> endpoints = Endpoints.of(3);
        RoundRobinPolicy policy = new RoundRobinPolicy();
        for (int i = 0; i < 3_000; i++) {
            List<Endpoint> chosen = policy.select(endpoints, 1);
            assertEquals(1, chosen.size());
            assertSame(endpoints.get(i % 3), chosen.get(0), "answer " + i);
        }
    }

    @Test
    void roundRobinWithKGivesConsecutiveWindowsThatWrap() {
        List<Endpoint> endpoints = Endpoints.of(4);
        RoundRobinPolicy policy = new RoundRobinPolicy();
        for (int i = 0; i < 400; i++) {
            List<Endpoint> chosen = policy.select(endpoints, 3);
            List<Endpoint> expected = List.of(endpoints.get(i % 4), endpoints.get((i + 1) % 4), endpoints.get((i + 2) % 4));
            assertEquals(expected, chosen, "answer " + i);
        }
    }

    @Test
    void roundRobinNeverAnswersMoreThanThereAre() {
        List<Endpoint> endpoints = Endpoints.of(2);
        assertEquals(2, new RoundRobinPolicy().select(endpoints, 16).size());
        assertEquals(List.of(), new RoundRobinPolicy().select(List.of(), 1));
    }

    @Test
    void roundRobinStaysEvenWhileTheCandidateListChanges() {
        // Health changes shrink and grow the candidate list between answers; the cursor keeps counting,
        // so within each stretch the candidates of that stretch share the answers within one.
        List<Endpoint> all = Endpoints.of(3);
        RoundRobinPolicy policy = new RoundRobinPolicy();
        for (int stretch = 0; stretch < 20; stretch++) {
            List<Endpoint> candidates = stretch % 2 == 0 ? all : all.subList(0, 2);
            int[] counts = new int[candidates.size()];
            for (int i = 0; i < 50; i++) {
                counts[candidates.indexOf(policy.select(candidates, 1).get(0))]++;
            }
            int spread = Arrays.stream(counts).max().getAsInt() - Arrays.stream(counts).min().getAsInt();
            assertTrue(spread <= 1, () -> "uneven: " + Arrays.toString(counts));
        }
    }

    @Test
    void roundRobinSurvivesCursorOverflow() throws Exception {
        RoundRobinPolicy policy = new RoundRobinPolicy();
        var field = RoundRobinPolicy.class.getDeclaredField("cursor");
        field.setAccessible(true);
        ((java.util.concurrent.atomic.AtomicLong) field.get(policy)).set(Long.MAX_VALUE - 2);
        List<Endpoint> endpoints = Endpoints.of(3);
        for (int i = 0; i < 10; i++) {
            assertEquals(1, policy.select(endpoints, 1).size());
        }
    }
}
