package dev.peak.dns.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.peak.dns.policy.PolicyName;
import dev.peak.dns.zone.ServiceSpec.HealthSpec;

class ServiceSpecTest {

    private static final HealthSpec OFF = new HealthSpec("/", Duration.ZERO, Duration.ZERO, 1, 1);

    @Test
    void specNamedNsIsRefusedWhicheverSourceBuildsIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ServiceSpec("ns", PolicyName.DEFAULT, 1, 5, 8080, OFF, List.of()));
        assertEquals("ns: 'ns' is the zone's name server (ns.<zone>, the target of its NS record), not a service name",
                e.getMessage());
    }
}
