package dev.peak.dns.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.peak.dns.TestConfigs;
import dev.peak.dns.config.DnsConfig;
import dev.peak.dns.endpoint.IpLiterals;
import dev.peak.dns.policy.PolicyName;
import dev.peak.dns.zone.ServiceSpec.EndpointSpec;
import dev.peak.dns.zone.ServiceSpec.HealthSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class ZoneTest {

    private final DnsConfig config = TestConfigs.dnsConfig("peak.dns.discovery", "static,registry");
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Zone zone = new Zone(config, meters);

    @Test
    void serviceWhoseSpecDidNotChangeKeepsItsState() {
        zone.apply("static", Map.of("a", spec("a", "2001:db8::a:1"), "b", spec("b", "2001:db8::b:1")));
        ServiceState a = zone.service("a");
        ServiceState b = zone.service("b");
        long version = zone.version();

        zone.apply("static", Map.of("a", spec("a", "2001:db8::a:1"), "b", spec("b", "2001:db8::b:2")));

        assertSame(a, zone.service("a"));
        assertNotSame(b, zone.service("b"));
        assertEquals(version + 1, zone.version());
        zone.apply("static", Map.of("a", spec("a", "2001:db8::a:1"), "b", spec("b", "2001:db8::b:2")));
        assertEquals(version + 1, zone.version(), "the same services again change nothing an answer depends on");
    }

    @Test
    void oneSelectionCounterPerEndpointInTheZone() {
        zone.apply("static", Map.of("a", spec("a", "2001:db8::a:1", "2001:db8::a:2"), "b", spec("b", "2001:db8::b:1")));
        assertEquals(3, meters.find(Zone.SELECTIONS).functionCounters().size());

        ServiceSpec reweighted = spec("a", "2001:db8::a:1").withEndpoints(List.of(new EndpointSpec(ip("2001:db8::a:1"), 7)));
        zone.apply("static", Map.of("a", reweighted, "b", spec("b", "2001:db8::b:1")));
        zone.service("a").select(true);

        assertEquals(2, meters.find(Zone.SELECTIONS).functionCounters().size());
        assertEquals(1.0, meters.get(Zone.SELECTIONS).tags("service", "a", "endpoint", "2001:db8::a:1").functionCounter().count(),
                "the counter reads the endpoint now in the zone, not the one its weight change replaced");
        zone.apply("static", Map.of());
        assertEquals(0, meters.find(Zone.SELECTIONS).functionCounters().size());
    }

    private static ServiceSpec spec(String name, String... addresses) {
        return new ServiceSpec(name, PolicyName.ROUND_ROBIN, 1, 5, 8080,
                new HealthSpec("/q/health/ready", Duration.ZERO, Duration.ZERO, 1, 1),
                Arrays.stream(addresses).map(a -> new EndpointSpec(ip(a), 1)).toList());
    }

    private static InetAddress ip(String literal) {
        return IpLiterals.parse(literal);
    }
}
