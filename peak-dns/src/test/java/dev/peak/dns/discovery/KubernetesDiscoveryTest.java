package dev.peak.dns.discovery;

import static dev.peak.dns.discovery.KubernetesObjects.endpoint;
import static dev.peak.dns.discovery.KubernetesObjects.ready;
import static dev.peak.dns.discovery.KubernetesObjects.service;
import static dev.peak.dns.discovery.KubernetesObjects.slice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.peak.dns.config.DnsConfig;
import dev.peak.dns.endpoint.Endpoint;
import dev.peak.dns.endpoint.IpLiterals;
import dev.peak.dns.policy.PolicyName;
import dev.peak.dns.zone.ServiceSpec;
import dev.peak.dns.zone.ServiceState;
import dev.peak.dns.zone.Zone;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The {@code kubernetes} source against fabric8's mock API server in CRUD mode: what is created,
 * changed and deleted there reaches the zone through the informers.
 *
 * <p>About 400 lines because every case needs the same mock API server and its objects.
 */
@EnableKubernetesMockClient(crud = true)
@Timeout(30)
class KubernetesDiscoveryTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    // Set by the mock server extension before each test; the client's namespace is "test".
    KubernetesMockServer server;
    KubernetesClient client;

    private KubernetesDiscovery discovery;
    private Zone zone;

    @AfterEach
    void stopInformers() {
        if (discovery != null) {
            discovery.stop();
        }
    }

    @Test
    void labelledServiceAnswersTheReadyAddressesOfItsSlices() {
        create(service("test", "a", true));
        create(slice("test", "a", "a-v6", "IPv6", 8080, ready("fd00:70ea::a:1"), ready("fd00:70ea::a:2")));
        create(slice("test", "a", "a-v4", "IPv4", 8080, ready("10.0.0.1")));

        start(Map.of());

        ServiceState a = zone.service("a");
        assertNotNull(a, "services listed before start-up are in the zone when start() returns");
        assertEquals(ips("fd00:70ea::a:1", "fd00:70ea::a:2", "10.0.0.1"), addresses(a));
        assertTrue(a.hasFamily(true) && a.hasFamily(false), "dual-stack: AAAA and A");
        assertEquals(8080, a.spec().port());
    }

    @Test
    void serviceCreatedAfterStartUpIsAnswered() {
        start(Map.of());
        assertNull(zone.service("a"));

        create(service("test", "a", true));
        create(slice("test", "a", "a-1", "IPv6", 8080, ready("fd00:70ea::a:1")));

        await(() -> addresses(zone.service("a")).equals(ips("fd00:70ea::a:1")), "service a with its endpoint");
    }

    @Test
    void serviceWithoutTheLabelIsIgnored() {
        create(service("test", "plain", false));
        create(slice("test", "plain", "plain-1", "IPv6", 8080, ready("fd00:70ea::b:1")));
        Service other = service("test", "other", false);
        other.getMetadata().getLabels().put(KubernetesDiscovery.LABEL, "yes");
        create(other);
        create(slice("test", "other", "other-1", "IPv6", 8080, ready("fd00:70ea::b:2")));
        create(service("test", "a", true));
        create(slice("test", "a", "a-1", "IPv6", 8080, ready("fd00:70ea::a:1")));

        start(Map.of());
        // A later change to the unlabelled Service's slice must not bring it in either.
        update(slice("test", "plain", "plain-1", "IPv6", 8080, ready("fd00:70ea::b:1"), ready("fd00:70ea::b:3")));
        create(slice("test", "a", "a-2", "IPv6", 8080, ready("fd00:70ea::a:2")));
        await(() -> addresses(zone.service("a")).size() == 2, "the later change to service a");

        assertNull(zone.service("plain"));
        assertNull(zone.service("other"), "the label's value must be exactly \"true\"");
    }

    @Test
    void slicesOfUnlabelledServicesAreNotCached() {
        create(service("test", "plain", false));
        create(slice("test", "plain", "plain-1", "IPv6", 8080, ready("fd00:70ea::b:1")));
        create(service("test", "a", true));
        create(slice("test", "a", "a-1", "IPv6", 8080, ready("fd00:70ea::a:1")));
        create(slice("test", "gone", "orphan-1", "IPv6", 8080, ready("fd00:70ea::c:1")));

        start(Map.of());
        assertEquals(Set.of("test/a-1"), discovery.cachedSlices());

        create(slice("test", "plain", "plain-2", "IPv6", 8080, ready("fd00:70ea::b:2")));
        create(slice("test", "a", "a-2", "IPv6", 8080, ready("fd00:70ea::a:2")));
        await(() -> addresses(zone.service("a")).size() == 2, "a-2 arrived");
        assertEquals(Set.of("test/a-1", "test/a-2"), discovery.cachedSlices(), "plain-2 arrived before a-2 and is not held");

        client.services().inNamespace("test").withName("a")
                .edit(s -> new ServiceBuilder(s).editMetadata().removeFromLabels(KubernetesDiscovery.LABEL).endMetadata().build());
        await(() -> zone.service("a") == null, "a gone once unlabelled");
        assertEquals(Set.of(), discovery.cachedSlices(), "an unlabelled Service's slices leave the cache with it");

        client.services().inNamespace("test").withName("plain")
                .edit(s -> new ServiceBuilder(s).editMetadata().addToLabels(KubernetesDiscovery.LABEL, "true").endMetadata().build());
        await(() -> addresses(zone.service("plain")).equals(ips("fd00:70ea::b:1", "fd00:70ea::b:2")), "plain labelled");
        assertEquals(Set.of("test/plain-1", "test/plain-2"), discovery.cachedSlices());
    }

    @Test
    void sliceUpdateAddsAndRemovesAddresses() {
        create(service("test", "a", true));
        create(slice("test", "a", "a-1", "IPv6", 8080, ready("fd00:70ea::a:1"), ready("fd00:70ea::a:2")));
        start(Map.of());

        update(slice("test", "a", "a-1", "IPv6", 8080, ready("fd00:70ea::a:2"), ready("fd00:70ea::a:3")));

        await(() -> addresses(zone.service("a")).equals(ips("fd00:70ea::a:2", "fd00:70ea::a:3")),
                "a:1 removed and a:3 added");
    }

    @Test
    void endpointNotReadyIsNotAnswered() {
        create(service("test", "a", true));
        create(slice("test", "a", "a-1", "IPv6", 8080,
                ready("fd00:70ea::a:1"),
                endpoint("fd00:70ea::a:2", false, false, false),
                // terminating: still serving but draining; Kubernetes reports ready false
                endpoint("fd00:70ea::a:3", false, true, true),
                // ready unset means ready (discovery.k8s.io/v1 API docs)
                endpoint("fd00:70ea::a:4", null, null, null)));
        start(Map.of());
        assertEquals(ips("fd00:70ea::a:1", "fd00:70ea::a:4"), addresses(zone.service("a")));

        update(slice("test", "a", "a-1", "IPv6", 8080,
                ready("fd00:70ea::a:1"), ready("fd00:70ea::a:2"), endpoint("fd00:70ea::a:4", false, true, true)));

        await(() -> addresses(zone.service("a")).equals(ips("fd00:70ea::a:1", "fd00:70ea::a:2")),
                "a:2 became ready, a:4 started terminating");
    }

    @Test
    void serviceWithNoReadyEndpointStaysKnownWithoutAddresses() {
        create(service("test", "a", true));
        create(slice("test", "a", "a-1", "IPv6", 8080, endpoint("fd00:70ea::a:1", false, false, false)));

        start(Map.of());

        assertNotNull(zone.service("a"), "a known name answers NODATA, not NXDOMAIN");
        assertTrue(zone.service("a").endpoints().isEmpty());
    }

    @Test
    void deletedServiceLeavesTheZone() {
        create(service("test", "a", true));
        create(slice("test", "a", "a-1", "IPv6", 8080, ready("fd00:70ea::a:1")));
        create(service("test", "b", true));
        start(Map.of());
        assertNotNull(zone.service("a"));

        client.services().inNamespace("test").withName("a").delete();

        await(() -> zone.service("a") == null, "service a gone");
        assertNotNull(zone.service("b"));
    }

    @Test
    void serviceWhoseLabelIsRemovedLeavesTheZone() {
        create(service("test", "a", true));
        create(slice("test", "a", "a-1", "IPv6", 8080, ready("fd00:70ea::a:1")));
        start(Map.of());
        assertNotNull(zone.service("a"));

        client.services().inNamespace("test").withName("a")
                .edit(s -> new ServiceBuilder(s).editMetadata().removeFromLabels(KubernetesDiscovery.LABEL).endMetadata().build());

        await(() -> zone.service("a") == null, "service a gone once unlabelled");
    }

    @Test
    void deletedSliceTakesItsAddressesAway() {
        create(service("test", "a", true));
        create(slice("test", "a", "a-1", "IPv6", 8080, ready("fd00:70ea::a:1")));
        create(slice("test", "a", "a-2", "IPv6", 8080, ready("fd00:70ea::a:2")));
        start(Map.of());

        client.discovery().v1().endpointSlices().inNamespace("test").withName("a-1").delete();

        await(() -> addresses(zone.service("a")).equals(ips("fd00:70ea::a:2")), "only a-2's address left");
    }

    @Test
    void addressInTwoSlicesIsAnsweredOnceAndFqdnSlicesAreSkipped() {
        create(service("test", "a", true));
        create(slice("test", "a", "a-1", "IPv6", 8080, ready("fd00:70ea::a:1")));
        create(slice("test", "a", "a-2", "IPv6", 8080, ready("fd00:70ea::a:1"), ready("fd00:70ea::a:2")));
        create(slice("test", "a", "a-fqdn", "FQDN", 8080, ready("a.example.org")));

        start(Map.of());

        List<InetAddress> all = zone.service("a").endpoints().stream().map(Endpoint::address).toList();
        assertEquals(List.copyOf(ips("fd00:70ea::a:1", "fd00:70ea::a:2")), all);
    }

    @Test
    void annotationsSetTheServiceSettings() {
        Service a = service("test", "a", true);
        a.getMetadata().setAnnotations(Map.of(
                "peak.dev/policy", "least-loaded",
                "peak.dev/answer-size", "2",
                "peak.dev/ttl", "30",
                "peak.dev/port", "9000",
                "peak.dev/health-path", "/ready",
                "peak.dev/health-interval", "500ms",
                "peak.dev/health-timeout", "200ms",
                "peak.dev/health-rise", "3",
                "peak.dev/health-fall", "4"));
        create(a);
        create(slice("test", "a", "a-1", "IPv6", 8080, ready("fd00:70ea::a:1")));

        start(Map.of());

        ServiceSpec spec = zone.service("a").spec();
        assertEquals(PolicyName.LEAST_LOADED, spec.policy());
        assertEquals(2, spec.answerSize());
        assertEquals(30, spec.ttl());
        assertEquals(9000, spec.port());
        assertEquals(new ServiceSpec.HealthSpec("/ready", Duration.ofMillis(500), Duration.ofMillis(200), 3, 4), spec.health());
    }

    @Test
    void withoutAnnotationsTheConfiguredDefaultsApply() {
        create(service("test", "a", true));
        create(slice("test", "a", "a-1", "IPv6", 8443, ready("fd00:70ea::a:1")));

        start(Map.of("peak.dns.ttl", "7", "peak.dns.health.interval", "3s"));

        ServiceSpec spec = zone.service("a").spec();
        assertEquals(PolicyName.ROUND_ROBIN, spec.policy());
        assertEquals(1, spec.answerSize());
        assertEquals(7, spec.ttl());
        assertEquals(8443, spec.port(), "the slice's port: the one the pods listen on");
        assertEquals(new ServiceSpec.HealthSpec("/q/health/ready", Duration.ofSeconds(3), Duration.ofSeconds(1), 2, 2),
                spec.health());
    }

    @Test
    void invalidAnnotationFallsBackToItsDefaultAndWatchingGoesOn() {
        Service a = service("test", "a", true);
        a.getMetadata().setAnnotations(Map.of(
                "peak.dev/policy", "fastest",
                "peak.dev/answer-size", "0",
                "peak.dev/ttl", "-1",
                "peak.dev/port", "http",
                "peak.dev/health-path", "ready",
                "peak.dev/health-interval", "soon",
                "peak.dev/health-rise", "1.5",
                "peak.dev/answersize", "2",
                "peak.dev/health-fall", "3"));
        create(a);
        create(slice("test", "a", "a-1", "IPv6", 8080, ready("fd00:70ea::a:1")));

        start(Map.of());

        ServiceSpec spec = zone.service("a").spec();
        assertEquals(PolicyName.ROUND_ROBIN, spec.policy());
        assertEquals(1, spec.answerSize());
        assertEquals(5, spec.ttl());
        assertEquals(8080, spec.port());
        assertEquals(new ServiceSpec.HealthSpec("/q/health/ready", Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 3),
                spec.health(), "the valid health-fall still applies");
        Set<String> problems = discovery.problems();
        assertEquals(8, problems.size(), problems::toString);
        assertTrue(problems.contains("Service test/a: peak.dev/policy: 'fastest' is not one of "
                + "[round-robin, random, weighted, least-loaded], using round-robin"), problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("Service test/a: peak.dev/answersize: unknown annotation")),
                problems::toString);

        update(slice("test", "a", "a-1", "IPv6", 8080, ready("fd00:70ea::a:1"), ready("fd00:70ea::a:2")));
        await(() -> addresses(zone.service("a")).size() == 2, "later changes still arrive");
    }

    @Test
    void healthTimeoutLongerThanTheIntervalIsCutToTheInterval() {
        Service a = service("test", "a", true);
        a.getMetadata().setAnnotations(Map.of("peak.dev/health-interval", "1s", "peak.dev/health-timeout", "5s"));
        create(a);

        start(Map.of());

        assertEquals(Duration.ofSeconds(1), zone.service("a").spec().health().timeout());
    }

    @Test
    void configuredNamespaceIsWatchedInsteadOfTheClients() {
        create(service("test", "a", true));
        create(service("other", "b", true));
        create(slice("other", "b", "b-1", "IPv6", 8080, ready("fd00:70ea::b:1")));

        start(Map.of("peak.dns.kubernetes.namespace", "other"));

        assertNull(zone.service("a"));
        assertEquals(ips("fd00:70ea::b:1"), addresses(zone.service("b")));
    }

    @Test
    void sameNameInTwoNamespacesIsAnsweredForTheOldestService() throws InterruptedException {
        create(service("zeta", "a", true));
        create(slice("zeta", "a", "a-1", "IPv6", 8080, ready("fd00:70ea::a:1")));
        // The mock API server stamps creation times in whole seconds.
        Thread.sleep(1100);
        create(service("alpha", "a", true));
        create(slice("alpha", "a", "a-1", "IPv6", 8080, ready("fd00:70ea::a:9")));

        start(Map.of("peak.dns.kubernetes.namespace", "*"));
        assertEquals(ips("fd00:70ea::a:1"), addresses(zone.service("a")), "zeta/a is older");
        assertEquals(Set.of("Service alpha/a: the name a is already answered for Service zeta/a (older), ignored"),
                discovery.problems());

        client.services().inNamespace("zeta").withName("a").delete();
        await(() -> addresses(zone.service("a")).equals(ips("fd00:70ea::a:9")), "alpha/a takes the name over");
        assertEquals(Set.of(), discovery.problems());
    }

    @Test
    void serviceNamedNsIsIgnoredWithTheReason() {
        create(service("test", "ns", true));
        create(slice("test", "ns", "ns-1", "IPv6", 8080, ready("fd00:70ea::9:1")));
        create(service("test", "a", true));

        start(Map.of());

        assertNull(zone.service("ns"), "ns.<zone> is the zone's name server, never a service");
        assertNotNull(zone.service("a"), "the other Services are answered");
        assertEquals(Set.of("Service test/ns: 'ns' is the zone's name server (ns.<zone>, the target of its NS record),"
                + " not a service name, ignored"), discovery.problems());
    }

    @Test
    void firstListThatFailsFailsStartUpWithTheReason() {
        // Nothing listens on port 1 of loopback: the first list fails at once (no retries).
        KubernetesClient unreachable = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:1").withNamespace("test").withRequestRetryBackoffLimit(0).build()).build();
        zone = new Zone(config(Map.of()), new SimpleMeterRegistry());
        discovery = new KubernetesDiscovery(config(Map.of()), zone, () -> unreachable);
        try (unreachable) {
            IllegalStateException e = assertThrows(IllegalStateException.class, discovery::start);
            assertTrue(e.getMessage().contains("get, list and watch"), e.getMessage());
        }
    }

    private void start(Map<String, String> properties) {
        DnsConfig config = config(properties);
        zone = new Zone(config, new SimpleMeterRegistry());
        discovery = new KubernetesDiscovery(config, zone, () -> client);
        discovery.start();
    }

    private static DnsConfig config(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.put("peak.dns.discovery", "kubernetes");
        return new SmallRyeConfigBuilder()
                .withMapping(DnsConfig.class)
                // Quarkus, not SmallRye, reads "2s" as a Duration
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(all, "test", 500))
                .build()
                .getConfigMapping(DnsConfig.class);
    }

    private void create(Service service) {
        client.services().inNamespace(service.getMetadata().getNamespace()).resource(service).create();
    }

    private void create(EndpointSlice slice) {
        client.discovery().v1().endpointSlices().inNamespace(slice.getMetadata().getNamespace()).resource(slice).create();
    }

    private void update(EndpointSlice slice) {
        client.discovery().v1().endpointSlices().inNamespace(slice.getMetadata().getNamespace()).resource(slice).update();
    }

    private static Set<InetAddress> addresses(ServiceState service) {
        return service == null ? Set.of() : service.endpoints().stream().map(Endpoint::address).collect(Collectors.toSet());
    }

    /** Address literals as the zone holds them (the text form of an IPv6 address is not unique). */
    private static Set<InetAddress> ips(String... literals) {
        return Arrays.stream(literals).map(IpLiterals::parse).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Informers deliver asynchronously: poll until the condition holds, failing after a bound. */
    private static void await(BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not seen within " + WAIT.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what);
            }
        }
    }
}
