package dev.peak.dns.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.peak.dns.endpoint.Endpoint;
import dev.peak.dns.policy.PolicyName;
import dev.peak.dns.zone.ServiceSpec.HealthSpec;

class ServiceStateTest {

    private static final HealthSpec CHECKED = new HealthSpec("/q/health/ready", Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 2);

    @Test
    void unhealthyEndpointIsNeverAnswered() {
        List<Endpoint> endpoints = List.of(endpoint("2001:db8::1"), endpoint("2001:db8::2"), endpoint("2001:db8::3"));
        up(endpoints.get(0));
        down(endpoints.get(1));
        up(endpoints.get(2));
        for (PolicyName policy : PolicyName.values()) {
            ServiceState service = service(policy, 1, endpoints);
            for (int i = 0; i < 1_000; i++) {
                assertNotSame(endpoints.get(1), service.select(true).get(0), policy.id());
            }
        }
    }

    @Test
    void endpointNotYetProbedIsNotAnsweredWhileAHealthyOneExists() {
        Endpoint fresh = endpoint("2001:db8::1");
        Endpoint healthy = endpoint("2001:db8::2");
        up(healthy);
        ServiceState service = service(PolicyName.ROUND_ROBIN, 2, List.of(fresh, healthy));
        for (int i = 0; i < 10; i++) {
            assertEquals(List.of(healthy), service.select(true));
        }
    }

    @Test
    void allEndpointsDownFailsOpenToAllOfThem() {
        List<Endpoint> endpoints = List.of(endpoint("2001:db8::1"), endpoint("2001:db8::2"), endpoint("2001:db8::3"));
        endpoints.forEach(ServiceStateTest::down);
        ServiceState service = service(PolicyName.ROUND_ROBIN, 1, endpoints);
        Set<Endpoint> answered = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            List<Endpoint> chosen = service.select(true);
            assertEquals(1, chosen.size(), "a wrong health check must not black-hole the service");
            answered.add(chosen.get(0));
        }
        assertEquals(Set.copyOf(endpoints), answered);
    }

    @Test
    void failOpenStaysWithinTheAskedFamily() {
        Endpoint v6 = endpoint("2001:db8::1");
        Endpoint v4 = endpoint("192.0.2.1");
        down(v6);
        down(v4);
        ServiceState service = service(PolicyName.RANDOM, 16, List.of(v6, v4));
        assertEquals(List.of(v6), service.select(true));
        assertEquals(List.of(v4), service.select(false));
    }

    @Test
    void healthyEndpointsOfTheOtherFamilyDoNotPreventFailOpen() {
        Endpoint v6 = endpoint("2001:db8::1");
        Endpoint v4 = endpoint("192.0.2.1");
        down(v6);
        up(v4);
        assertEquals(List.of(v6), service(PolicyName.ROUND_ROBIN, 1, List.of(v6, v4)).select(true));
    }

    @Test
    void everyAnswerIsCountedPerEndpoint() {
        List<Endpoint> endpoints = List.of(endpoint("2001:db8::1"), endpoint("2001:db8::2"));
        endpoints.forEach(ServiceStateTest::up);
        ServiceState service = service(PolicyName.ROUND_ROBIN, 2, endpoints);
        for (int i = 0; i < 5; i++) {
            service.select(true);
        }
        assertEquals(5, endpoints.get(0).selections());
        assertEquals(5, endpoints.get(1).selections());
    }

    @Test
    void hasFamilyTellsNodataFromAnswers() {
        ServiceState v6only = service(PolicyName.ROUND_ROBIN, 1, List.of(endpoint("2001:db8::1")));
        assertTrue(v6only.hasFamily(true));
        assertFalse(v6only.hasFamily(false));
    }

    @Test
    void riseAndFallThresholdsMoveHealthAfterTheFirstProbe() {
        Endpoint e = endpoint("2001:db8::1");
        assertEquals(Endpoint.Health.UNKNOWN, e.health());
        assertTrue(e.recordProbe(true, 2, 3), "the first probe decides at once");
        assertEquals(Endpoint.Health.UP, e.health());
        assertFalse(e.recordProbe(false, 2, 3));
        assertFalse(e.recordProbe(false, 2, 3));
        assertTrue(e.recordProbe(false, 2, 3), "down after fall = 3 failures");
        assertEquals(Endpoint.Health.DOWN, e.health());
        assertFalse(e.recordProbe(true, 2, 3));
        assertFalse(e.recordProbe(false, 2, 3), "a failure resets the successes");
        assertFalse(e.recordProbe(true, 2, 3));
        assertTrue(e.recordProbe(true, 2, 3), "up after rise = 2 successes in a row");
        assertEquals(Endpoint.Health.UP, e.health());
    }

    private static ServiceState service(PolicyName policy, int k, List<Endpoint> endpoints) {
        ServiceSpec spec = new ServiceSpec("svc", policy, k, 5, 8080, CHECKED, List.of());
        return new ServiceState(spec, endpoints, policy.create());
    }

    private static void up(Endpoint e) {
        e.recordProbe(true, 1, 1);
    }

    private static void down(Endpoint e) {
        e.recordProbe(false, 1, 1);
    }

    private static Endpoint endpoint(String address) {
        try {
            return new Endpoint(InetAddress.getByName(address), 1);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
