package dev.peak.dns.discovery;

import static dev.peak.dns.discovery.KubernetesObjects.ready;
import static dev.peak.dns.discovery.KubernetesObjects.service;
import static dev.peak.dns.discovery.KubernetesObjects.slice;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.peak.dns.endpoint.IpLiterals;
import dev.peak.dns.zone.Zone;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * The application as deployed: the client injected by the Quarkus extension (pointed at a mock API
 * server whose namespace is "test"), the source started by the start-up event, the result on
 * {@code GET /v1/services}. No health probes: the mock's addresses are never contacted.
 */
@QuarkusTest
@TestProfile(KubernetesDiscoveryWiringTest.KubernetesSource.class)
@WithKubernetesTestServer(setup = KubernetesDiscoveryWiringTest.Cluster.class)
// One application and one mock cluster for both tests: the start-up state is checked before the change.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesDiscoveryWiringTest {

    public static class KubernetesSource implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "peak.dns.discovery", "kubernetes",
                    "peak.dns.host", "::1",
                    "peak.dns.port", "0",
                    "peak.dns.health.interval", "0");
        }
    }

    /** What the cluster holds before peak-dns starts. */
    public static class Cluster implements Consumer<KubernetesServer> {
        @Override
        public void accept(KubernetesServer server) {
            KubernetesClient client = server.getClient();
            client.services().inNamespace("test").resource(service("test", "a", true)).create();
            client.discovery().v1().endpointSlices().inNamespace("test")
                    .resource(slice("test", "a", "a-1", "IPv6", 8080, ready("fd00:70ea::a:1"))).create();
        }
    }

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    Zone zone;

    @Test
    @Order(1)
    void labelledServiceOfTheClientsNamespaceIsServedFromStartUp() {
        given().get("/v1/services").then().statusCode(200).body("services.name", contains("a"));
        assertEquals(Set.of(IpLiterals.parse("fd00:70ea::a:1")), servedAddresses());
    }

    @Test
    @Order(2)
    void changeInTheClusterReachesTheAnswers() throws InterruptedException {
        server.getClient().discovery().v1().endpointSlices().inNamespace("test")
                .resource(slice("test", "a", "a-2", "IPv6", 8080, ready("fd00:70ea::a:2"))).create();

        Instant deadline = Instant.now().plusSeconds(10);
        while (zone.service("a").endpoints().size() < 2 && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertEquals(Set.of(IpLiterals.parse("fd00:70ea::a:1"), IpLiterals.parse("fd00:70ea::a:2")),
                servedAddresses());
    }

    /** The addresses of service a on the admin API, compared as addresses: IPv6 text has many forms. */
    private static Set<InetAddress> servedAddresses() {
        List<String> text = given().get("/v1/services").then().statusCode(200)
                .extract().jsonPath().getList("services.find { it.name == 'a' }.endpoints.address", String.class);
        return text.stream().map(IpLiterals::parse).collect(Collectors.toSet());
    }
}
