package dev.peak.dns.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.peak.dns.endpoint.Endpoint;

/** Rules every policy keeps, whatever it chooses. */
class SelectionPolicyTest {

    @ParameterizedTest
    @EnumSource(PolicyName.class)
    void policyDoesNotMutateEndpointList(PolicyName name) {
        // The candidate list is shared with other queries and the health checker.
        List<Endpoint> endpoints = new ArrayList<>(Endpoints.of(5));
        List<Endpoint> before = List.copyOf(endpoints);
        SelectionPolicy policy = name.create();
        for (int i = 0; i < 100; i++) {
            policy.select(endpoints, 1 + i % 5);
        }
        assertEquals(before, endpoints);
    }

    @ParameterizedTest
    @EnumSource(PolicyName.class)
    void policyChoosesMinOfKAndCandidatesDistinctEndpoints(PolicyName name) {
        List<Endpoint> endpoints = Endpoints.of(3);
        for (int k = 1; k <= 5; k++) {
            List<Endpoint> chosen = name.create().select(endpoints, k);
            assertEquals(Math.min(k, 3), chosen.size());
            assertEquals(chosen.size(), chosen.stream().distinct().count());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"roundrobin", "least_loaded", ""})
    void unknownPolicyNameIsRejectedWithTheKnownOnes(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PolicyName.of(name));
        assertTrue(e.getMessage().contains("round-robin"), e.getMessage());
    }
}
