package dev.peak.dns.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

import dev.peak.dns.Await;
import dev.peak.dns.Dns;
import dev.peak.dns.LoopbackLab;
import dev.peak.dns.server.DnsServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The {@code registry} discovery source over HTTP: PUT registers or renews, a lease not renewed ends,
 * DELETE removes at once. Health checks are off in this profile (a registry service probes port 8080 unless
 * its settings say otherwise, and nothing here serves it), so registered addresses are answered at once.
 */
@QuarkusTest
@TestProfile(RegistryApiTest.WithRegistry.class)
class RegistryApiTest {

    private static final long LEASE_MILLIS = 1_000;
    private static final String REG = "reg." + LoopbackLab.ZONE;

    public static class WithRegistry implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("peak.dns.discovery", "static,registry",
                    "peak.dns.registry.lease", LEASE_MILLIS + "ms",
                    "peak.dns.health.interval", "0");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(LoopbackLab.class));
        }
    }

    @Inject
    DnsServer server;

    @Test
    void registeredEndpointIsAnsweredWhileRenewedAndGoneAfterTheLease() {
        given().put("/v1/services/reg/endpoints/127.0.0.9").then().statusCode(200).contentType("application/json")
                .body("service", equalTo("reg")).body("address", equalTo("127.0.0.9")).body("weight", equalTo(1))
                .body("leaseExpires", notNullValue());
        assertEquals(List.of("127.0.0.9"), addresses(REG, Type.A));

        long renewUntil = System.nanoTime() + 3 * LEASE_MILLIS * 1_000_000;
        while (System.nanoTime() < renewUntil) {
            sleep(LEASE_MILLIS * 4 / 10);
            given().put("/v1/services/reg/endpoints/127.0.0.9").then().statusCode(200);
            assertEquals(List.of("127.0.0.9"), addresses(REG, Type.A), "renewed, so still answered");
        }

        long took = Await.until(Duration.ofMillis(LEASE_MILLIS + 1_500), () -> rcode(REG, Type.A) == Rcode.NXDOMAIN,
                () -> "reg gone after its lease");
        assertEquals(true, took >= LEASE_MILLIS / 2, "gone after " + took + " ms, before its lease could end");
    }

    @Test
    void deleteRemovesAtOnce() {
        given().put("/v1/services/gone/endpoints/fd00:70ea::9:1").then().statusCode(200);
        given().put("/v1/services/gone/endpoints/fd00:70ea::9:2").then().statusCode(200);
        given().delete("/v1/services/gone/endpoints/fd00:70ea::9:1").then().statusCode(204);
        assertEquals(List.of(Dns.printed("fd00:70ea::9:2")), addresses("gone." + LoopbackLab.ZONE, Type.AAAA));
        given().delete("/v1/services/gone/endpoints/fd00:70ea:0:0::9:2").then().statusCode(204);
        assertEquals(Rcode.NXDOMAIN, rcode("gone." + LoopbackLab.ZONE, Type.AAAA));
        given().delete("/v1/services/gone/endpoints/fd00:70ea::9:2").then().statusCode(404).contentType("application/json")
                .body("error", equalTo("not_registered"));
    }

    @Test
    void registeredEndpointJoinsAStaticServiceUnderItsSettings() {
        given().contentType("application/json").body("{\"answer-size\": 3, \"ttl\": 60, \"port\": 9100}")
                .put("/v1/services/pair/endpoints/fd00:70ea::b:9?weight=5").then().statusCode(200).body("weight", equalTo(5));
        try {
            given().get("/v1/services").then().statusCode(200)
                    .body("services.find { it.name == 'pair' }.endpoints.address", hasItem("fd00:70ea::b:9"))
                    .body("services.find { it.name == 'pair' }.answerSize", equalTo(2))
                    .body("services.find { it.name == 'pair' }.ttl", equalTo((int) LoopbackLab.PAIR_TTL))
                    .body("services.find { it.name == 'pair' }.port", equalTo(8080));
        } finally {
            given().delete("/v1/services/pair/endpoints/fd00:70ea::b:9").then().statusCode(204);
        }
    }

    @Test
    void registrationCarriesTheSettingsOfAServiceOfTheRegistryAlone() {
        int labPort = ConfigProvider.getConfig().getValue("lab.port", Integer.class);
        String settings = "{\"policy\": \"weighted\", \"answer-size\": 2, \"ttl\": 30, \"port\": " + labPort
                + ", \"health\": {\"interval\": \"200ms\", \"timeout\": \"150ms\"}}";
        Runnable register = () -> given().contentType("application/json").body(settings)
                .put("/v1/services/probed/endpoints/127.0.0.2").then().statusCode(200);
        register.run();
        try {
            given().get("/v1/services").then().statusCode(200)
                    .body("services.find { it.name == 'probed' }.policy", equalTo("weighted"))
                    .body("services.find { it.name == 'probed' }.answerSize", equalTo(2))
                    .body("services.find { it.name == 'probed' }.ttl", equalTo(30))
                    .body("services.find { it.name == 'probed' }.port", equalTo(labPort));
            // The stand-in answers its readiness path on the lab's port only: UP proves the probes go there.
            Await.until(Duration.ofSeconds(5), () -> {
                register.run(); // renewed, as the lease is short here
                return "UP".equals(given().get("/v1/services").then().extract().jsonPath()
                        .getString("services.find { it.name == 'probed' }.endpoints[0].health"));
            }, () -> "probed UP");
        } finally {
            given().delete("/v1/services/probed/endpoints/127.0.0.2").then().statusCode(204);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"port\": 0}",
            "{\"port\": 65536}",
            "{\"port\": \"http\"}",
            "{\"policy\": \"fastest\"}",
            "{\"answer-size\": 17}",
            "{\"health\": {\"interval\": \"1s\", \"timeout\": \"2s\"}}",
            "{\"endpoints\": [\"127.0.0.9\"]}",
            "{\"port\": 8080",
            "[8080]"})
    void badSettingsAre400Json(String settings) {
        given().contentType("application/json").body(settings).put("/v1/services/reg/endpoints/127.0.0.9")
                .then().statusCode(400).contentType("application/json")
                .body("error", equalTo("invalid_settings")).body("message", startsWith("settings"));
        assertEquals(Rcode.NXDOMAIN, rcode(REG, Type.A), "nothing registered");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "reg, not-an-ip, 1, invalid_address",
            "reg, localhost, 1, invalid_address",
            "reg, 10.0.0.256, 1, invalid_address",
            "Bad_Name, 127.0.0.9, 1, invalid_service",
            "-reg, 127.0.0.9, 1, invalid_service",
            "reg, 127.0.0.9, -1, invalid_weight",
            "reg, 127.0.0.9, 1001, invalid_weight"})
    void badRegistrationIs400Json(String service, String address, int weight, String error) {
        given().queryParam("weight", weight).put("/v1/services/{service}/endpoints/{address}", service, address)
                .then().statusCode(400).contentType("application/json")
                .body("error", equalTo(error)).body("message", notNullValue());
        assertEquals(Rcode.NXDOMAIN, rcode(REG, Type.A), "nothing registered");
    }

    @Test
    void serviceNamedNsIsRefusedAsTheZonesNameServer() {
        given().put("/v1/services/ns/endpoints/fd00:70ea::9:9").then().statusCode(400).contentType("application/json")
                .body("error", equalTo("invalid_service"))
                .body("message", equalTo("'ns' is the zone's name server (ns.<zone>, the target of its NS record), not a service name"));
        assertEquals(Rcode.NXDOMAIN, rcode("ns." + LoopbackLab.ZONE, Type.AAAA), "nothing registered");
    }

    @Test
    void nonNumericWeightIs400Json() {
        given().queryParam("weight", "heavy").put("/v1/services/reg/endpoints/127.0.0.9")
                .then().statusCode(400).contentType("application/json").body("error", equalTo("invalid_weight"));
    }

    private List<String> addresses(String name, int type) {
        Message response = Dns.ask(server.udpPort(), false, name, type);
        assertEquals(Rcode.NOERROR, response.getRcode(), response::toString);
        return Dns.addresses(response);
    }

    private int rcode(String name, int type) {
        return Dns.ask(server.udpPort(), false, name, type).getRcode();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
