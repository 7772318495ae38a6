package dev.peak.dns.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.peak.dns.endpoint.Endpoint;

/** Rules every policy keeps, whatever it chooses. */
class SelectionPolicyTest {

    private static final int DRAWS = 20_000;

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

    /**
     * The query path asks for one endpoint by index, without lists: it must draw as the list form
     * does. Weights 1:2:7 and loads 5, 1, 1 give every policy a distribution of its own (least-loaded:
     * never the first, the other two alike); a chi-square test of homogeneity compares the two forms.
     */
    @ParameterizedTest
    @EnumSource(PolicyName.class)
    void selectOneDrawsAsSelectOfOneDoes(PolicyName name) {
        List<Endpoint> endpoints = List.of(Endpoints.endpoint("2001:db8::1", 1), Endpoints.endpoint("2001:db8::2", 2),
                Endpoints.endpoint("2001:db8::3", 7));
        double[] loads = {5, 1, 1};
        for (int i = 0; i < loads.length; i++) {
            endpoints.get(i).recordLoad(loads[i], null);
        }
        Endpoint[] candidates = endpoints.toArray(Endpoint[]::new);
        SelectionPolicy listForm = name.create();
        SelectionPolicy indexForm = name.create();
        long[][] counts = new long[2][endpoints.size()];
        for (int i = 0; i < DRAWS; i++) {
            counts[0][endpoints.indexOf(listForm.select(endpoints, 1).get(0))]++;
            counts[1][indexForm.selectOne(candidates)]++;
        }
        double chi = Endpoints.homogeneity(counts[0], counts[1]);
        assertTrue(chi < 30, () -> name + ": list form " + Arrays.toString(counts[0]) + ", index form " + Arrays.toString(counts[1]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"roundrobin", "least_loaded", ""})
    void unknownPolicyNameIsRejectedWithTheKnownOnes(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PolicyName.of(name));
        assertTrue(e.getMessage().contains("round-robin"), e.getMessage());
    }
}
