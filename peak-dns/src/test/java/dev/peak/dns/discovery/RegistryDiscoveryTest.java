package dev.peak.dns.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.peak.dns.TestConfigs;
import dev.peak.dns.config.DnsConfig;
import dev.peak.dns.endpoint.Endpoint;
import dev.peak.dns.policy.PolicyName;
import dev.peak.dns.zone.ServiceSpec;
import dev.peak.dns.zone.ServiceSpec.EndpointSpec;
import dev.peak.dns.zone.ServiceSpec.HealthSpec;
import dev.peak.dns.zone.ServiceState;
import dev.peak.dns.zone.Zone;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class RegistryDiscoveryTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final DnsConfig config = TestConfigs.dnsConfig("peak.dns.discovery", "static,registry",
            "peak.dns.registry.lease", "1s", "peak.dns.health.interval", "0");
    private final Zone zone = new Zone(config, new SimpleMeterRegistry());
    private final RegistryDiscovery registry = new RegistryDiscovery(config, zone, null, now::get);

    @Test
    void registeredEndpointIsAnsweredUntilItsLeaseEnds() {
        Instant expires = registry.register("a", ip("2001:db8::1"), 1, null).expires();
        assertEquals(now.get().plus(Duration.ofSeconds(1)), expires);
        assertEquals(List.of("2001:db8::1"), addresses("a"));

        advance(999);
        registry.expire();
        assertEquals(1, addresses("a").size(), "within the lease");

        advance(1);
        registry.expire();
        assertNull(zone.service("a"), "gone once the lease is over");
    }

    @Test
    void renewalExtendsTheLease() {
        registry.register("a", ip("2001:db8::1"), 1, null);
        for (int i = 0; i < 10; i++) {
            advance(900);
            registry.register("a", ip("2001:db8::1"), 1, null);
            registry.expire();
            assertEquals(1, addresses("a").size(), "renewed " + i);
        }
        advance(1_000);
        registry.expire();
        assertNull(zone.service("a"));
    }

    @Test
    void renewalKeepsTheEndpointsState() {
        registry.register("a", ip("2001:db8::1"), 1, null);
        Endpoint before = zone.service("a").endpoints().get(0);
        before.recordSelection();
        long version = zone.version();
        registry.register("a", ip("2001:db8::1"), 1, null);
        assertEquals(version, zone.version(), "a plain renewal changes nothing the answers depend on");
        assertEquals(1, zone.service("a").endpoints().get(0).selections());
    }

    @Test
    void leasesExpireOneByOne() {
        registry.register("a", ip("2001:db8::1"), 1, null);
        advance(500);
        registry.register("a", ip("2001:db8::2"), 1, null);
        registry.register("b", ip("192.0.2.1"), 1, null);
        advance(500);
        registry.expire();
        assertEquals(List.of("2001:db8::2"), addresses("a"));
        assertNotNull(zone.service("b"));
    }

    @Test
    void deregisterRemovesAtOnce() {
        registry.register("a", ip("2001:db8::1"), 1, null);
        registry.register("a", ip("2001:db8::2"), 1, null);
        assertTrue(registry.deregister("a", ip("2001:db8::1")));
        assertEquals(List.of("2001:db8::2"), addresses("a"));
        assertFalse(registry.deregister("a", ip("2001:db8::1")), "not registered any more");
        assertTrue(registry.deregister("a", ip("2001:db8:0::2")), "any spelling of the address");
        assertNull(zone.service("a"));
    }

    @Test
    void registrationReplacesOnlyTheStateOfItsService() {
        registry.register("a", ip("2001:db8::1"), 1, null);
        registry.register("b", ip("2001:db8::b:1"), 1, null);
        registry.register("b", ip("2001:db8::b:2"), 1, null);
        ServiceState b = zone.service("b");
        Endpoint first = b.select(true).get(0);

        registry.register("a", ip("2001:db8::2"), 1, null);
        advance(1_000);
        registry.register("b", ip("2001:db8::b:1"), 1, null);
        registry.register("b", ip("2001:db8::b:2"), 1, null);
        registry.expire();

        assertEquals(List.of("2001:db8::b:1", "2001:db8::b:2"), addresses("b"));
        assertSame(b, zone.service("b"), "b's endpoints, their health and its policy stay as they were");
        assertTrue(first != zone.service("b").select(true).get(0), "the round-robin cursor went on");
        assertNull(zone.service("a"), "a's leases ended");
    }

    @Test
    void serviceOfTheRegistryAloneTakesTheSettingsOfItsOldestRegistrationThatCarriesSome() {
        registry.register("a", ip("2001:db8::1"), 1, null);
        assertEquals(StaticFileParser.DEFAULT_PORT, spec("a").port(), "no registration carries settings: the defaults");
        advance(100);
        registry.register("a", ip("2001:db8::2"), 1, registry.settings("a", "{\"port\": 9100, \"policy\": \"least-loaded\"}"));
        advance(100);
        registry.register("a", ip("2001:db8::3"), 1, registry.settings("a", "{\"port\": 9200, \"ttl\": 30}"));
        assertEquals(9100, spec("a").port());
        assertEquals(PolicyName.LEAST_LOADED, spec("a").policy());

        advance(100);
        registry.register("a", ip("2001:db8::3"), 1, registry.settings("a", "{\"port\": 9200, \"ttl\": 30}"));
        registry.register("a", ip("2001:db8::2"), 1, null);
        assertEquals(9200, spec("a").port(), "a renewal without settings drops the ones it gave before");
        assertEquals(PolicyName.ROUND_ROBIN, spec("a").policy(), "settings are taken whole, never key by key");
        assertEquals(30, spec("a").ttl());

        registry.deregister("a", ip("2001:db8::3"));
        assertEquals(StaticFileParser.DEFAULT_PORT, spec("a").port());
        assertEquals(List.of("2001:db8::1", "2001:db8::2"), addresses("a"));
    }

    @Test
    void settingsComeWholeFromTheFirstListedSourceThatKnowsTheService() {
        String file = "services: {a: {port: 9000, ttl: 30, endpoints: [\"2001:db8::a:1\"]}}";
        String registration = "{\"port\": 9100, \"policy\": \"random\", \"answer-size\": 2}";

        zone.apply("static", new StaticFileParser(config).parse(file));
        registry.register("a", ip("2001:db8::a:2"), 1, registry.settings("a", registration));
        assertEquals(new ServiceSpec("a", PolicyName.ROUND_ROBIN, 1, 30, 9000, HealthSpec.defaults(config.health()),
                List.of(new EndpointSpec(ip("2001:db8::a:1"), 1), new EndpointSpec(ip("2001:db8::a:2"), 1))), spec("a"),
                "static listed first: the file's settings, the registration's endpoint");

        DnsConfig registryFirst = TestConfigs.dnsConfig("peak.dns.discovery", "registry,static", "peak.dns.health.interval", "0");
        Zone other = new Zone(registryFirst, new SimpleMeterRegistry());
        RegistryDiscovery first = new RegistryDiscovery(registryFirst, other, null, now::get);
        other.apply("static", new StaticFileParser(registryFirst).parse(file));
        first.register("a", ip("2001:db8::a:2"), 1, first.settings("a", registration));
        assertEquals(new ServiceSpec("a", PolicyName.RANDOM, 2, 5, 9100, HealthSpec.defaults(registryFirst.health()),
                List.of(new EndpointSpec(ip("2001:db8::a:2"), 1), new EndpointSpec(ip("2001:db8::a:1"), 1))),
                other.service("a").spec(), "registry listed first: the registration's settings, the file's TTL not mixed in");
    }

    @Test
    void newWeightIsPublished() {
        registry.register("a", ip("2001:db8::1"), 1, null);
        registry.register("a", ip("2001:db8::1"), 5, null);
        assertEquals(5, zone.service("a").endpoints().get(0).weight());
    }

    @Test
    void registryEndpointsWithHealthChecksOffAreAnsweredAtOnce() {
        registry.register("a", ip("2001:db8::1"), 1, null);
        assertTrue(zone.service("a").endpoints().get(0).healthy());
    }

    private void advance(long millis) {
        now.updateAndGet(t -> t.plusMillis(millis));
    }

    private ServiceSpec spec(String service) {
        return zone.service(service).spec();
    }

    private List<String> addresses(String service) {
        return zone.service(service).endpoints().stream().map(Endpoint::text).toList();
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
