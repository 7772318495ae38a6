package dev.peak.dns.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logmanager.ExtLogRecord;
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
import io.restassured.specification.RequestSpecification;

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

    private static final String TOKEN = "registry-test-token-0123456789abcdef";

    public static class WithRegistry implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Path tokens;
            try {
                tokens = Files.createTempFile("peak-dns-registry-tokens", "");
                tokens.toFile().deleteOnExit();
                Files.writeString(tokens, "# caller token\nregistrar " + TOKEN + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("peak.dns.discovery", "static,registry",
                    "peak.dns.registry.lease", LEASE_MILLIS + "ms",
                    "peak.dns.registry.token-file", tokens.toString(),
                    "peak.dns.registry.allowed-prefixes", "127.0.0.0/8,fd00:70ea::/48",
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
        registrar().put("/v1/services/reg/endpoints/127.0.0.9").then().statusCode(200).contentType("application/json")
                .body("service", equalTo("reg")).body("address", equalTo("127.0.0.9")).body("weight", equalTo(1))
                .body("leaseExpires", notNullValue());
        assertEquals(List.of("127.0.0.9"), addresses(REG, Type.A));

        long renewUntil = System.nanoTime() + 3 * LEASE_MILLIS * 1_000_000;
        while (System.nanoTime() < renewUntil) {
            sleep(LEASE_MILLIS * 4 / 10);
            registrar().put("/v1/services/reg/endpoints/127.0.0.9").then().statusCode(200);
            assertEquals(List.of("127.0.0.9"), addresses(REG, Type.A), "renewed, so still answered");
        }

        long took = Await.until(Duration.ofMillis(LEASE_MILLIS + 1_500), () -> rcode(REG, Type.A) == Rcode.NXDOMAIN,
                () -> "reg gone after its lease");
        assertEquals(true, took >= LEASE_MILLIS / 2, "gone after " + took + " ms, before its lease could end");
    }

    @Test
    void deleteRemovesAtOnce() {
        registrar().put("/v1/services/gone/endpoints/fd00:70ea::9:1").then().statusCode(200);
        registrar().put("/v1/services/gone/endpoints/fd00:70ea::9:2").then().statusCode(200);
        registrar().delete("/v1/services/gone/endpoints/fd00:70ea::9:1").then().statusCode(204);
        assertEquals(List.of(Dns.printed("fd00:70ea::9:2")), addresses("gone." + LoopbackLab.ZONE, Type.AAAA));
        registrar().delete("/v1/services/gone/endpoints/fd00:70ea:0:0::9:2").then().statusCode(204);
        assertEquals(Rcode.NXDOMAIN, rcode("gone." + LoopbackLab.ZONE, Type.AAAA));
        registrar().delete("/v1/services/gone/endpoints/fd00:70ea::9:2").then().statusCode(404).contentType("application/json")
                .body("error", equalTo("not_registered"));
    }

    @Test
    void registeredEndpointJoinsAStaticServiceUnderItsSettings() {
        registrar().contentType("application/json").body("{\"answer-size\": 3, \"ttl\": 60, \"port\": 9100}")
                .put("/v1/services/pair/endpoints/fd00:70ea::b:9?weight=5").then().statusCode(200).body("weight", equalTo(5));
        try {
            registrar().get("/v1/services").then().statusCode(200)
                    .body("services.find { it.name == 'pair' }.endpoints.address", hasItem("fd00:70ea::b:9"))
                    .body("services.find { it.name == 'pair' }.answerSize", equalTo(2))
                    .body("services.find { it.name == 'pair' }.ttl", equalTo((int) LoopbackLab.PAIR_TTL))
                    .body("services.find { it.name == 'pair' }.port", equalTo(8080));
        } finally {
            registrar().delete("/v1/services/pair/endpoints/fd00:70ea::b:9").then().statusCode(204);
        }
    }

    @Test
    void registrationCarriesTheSettingsOfAServiceOfTheRegistryAlone() {
        int labPort = ConfigProvider.getConfig().getValue("lab.port", Integer.class);
        String settings = "{\"policy\": \"weighted\", \"answer-size\": 2, \"ttl\": 30, \"port\": " + labPort
                + ", \"health\": {\"interval\": \"200ms\", \"timeout\": \"150ms\"}}";
        Runnable register = () -> registrar().contentType("application/json").body(settings)
                .put("/v1/services/probed/endpoints/127.0.0.2").then().statusCode(200);
        register.run();
        try {
            registrar().get("/v1/services").then().statusCode(200)
                    .body("services.find { it.name == 'probed' }.policy", equalTo("weighted"))
                    .body("services.find { it.name == 'probed' }.answerSize", equalTo(2))
                    .body("services.find { it.name == 'probed' }.ttl", equalTo(30))
                    .body("services.find { it.name == 'probed' }.port", equalTo(labPort));
            // The stand-in answers its readiness path on the lab's port only: UP proves the probes go there.
            Await.until(Duration.ofSeconds(5), () -> {
                register.run(); // renewed, as the lease is short here
                return "UP".equals(registrar().get("/v1/services").then().extract().jsonPath()
                        .getString("services.find { it.name == 'probed' }.endpoints[0].health"));
            }, () -> "probed UP");
        } finally {
            registrar().delete("/v1/services/probed/endpoints/127.0.0.2").then().statusCode(204);
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
        registrar().contentType("application/json").body(settings).put("/v1/services/reg/endpoints/127.0.0.9")
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
        registrar().queryParam("weight", weight).put("/v1/services/{service}/endpoints/{address}", service, address)
                .then().statusCode(400).contentType("application/json")
                .body("error", equalTo(error)).body("message", notNullValue());
        assertEquals(Rcode.NXDOMAIN, rcode(REG, Type.A), "nothing registered");
    }

    @Test
    void serviceNamedNsIsRefusedAsTheZonesNameServer() {
        registrar().put("/v1/services/ns/endpoints/fd00:70ea::9:9").then().statusCode(400).contentType("application/json")
                .body("error", equalTo("invalid_service"))
                .body("message", equalTo("'ns' is the zone's name server (ns.<zone>, the target of its NS record), not a service name"));
        assertEquals(Rcode.NXDOMAIN, rcode("ns." + LoopbackLab.ZONE, Type.AAAA), "nothing registered");
    }

    @Test
    void nonNumericWeightIs400Json() {
        registrar().queryParam("weight", "heavy").put("/v1/services/reg/endpoints/127.0.0.9")
                .then().statusCode(400).contentType("application/json").body("error", equalTo("invalid_weight"));
    }

    @Test
    void writeWithoutTokenIs401JsonWithChallenge() {
        given().put("/v1/services/reg/endpoints/127.0.0.9").then().statusCode(401).contentType("application/json")
                .header("WWW-Authenticate", equalTo(RegistryAccess.CHALLENGE)).body("error", equalTo("missing_token"));
        given().delete("/v1/services/reg/endpoints/127.0.0.9").then().statusCode(401).body("error", equalTo("missing_token"));
        assertEquals(Rcode.NXDOMAIN, rcode(REG, Type.A), "nothing registered");
    }

    @Test
    void writeWithUnknownTokenIs401Json() {
        given().auth().oauth2("registry-test-token-not-the-right-one-00").put("/v1/services/reg/endpoints/127.0.0.9")
                .then().statusCode(401).contentType("application/json")
                .header("WWW-Authenticate", containsString("error=\"invalid_token\"")).body("error", equalTo("invalid_token"));
        assertEquals(Rcode.NXDOMAIN, rcode(REG, Type.A), "nothing registered");
    }

    @Test
    void addressOutsideAllowedPrefixesIs403Json() {
        registrar().put("/v1/services/reg/endpoints/192.0.2.1").then().statusCode(403).contentType("application/json")
                .body("error", equalTo("address_not_allowed")).body("message", containsString("192.0.2.1"));
        registrar().put("/v1/services/reg/endpoints/2001:db8::1").then().statusCode(403);
        assertEquals(Rcode.NXDOMAIN, rcode(REG, Type.A), "nothing registered");
    }

    @Test
    void readingTheZoneNeedsNoToken() {
        given().get("/v1/services").then().statusCode(200).body("services", notNullValue());
    }

    @Test
    void changesAreLoggedWithTheCallersName() {
        List<String> lines = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (lines) {
                    lines.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(ServicesResource.class.getName());
        logger.addHandler(capture);
        try {
            registrar().put("/v1/services/logged/endpoints/fd00:70ea::7:1").then().statusCode(200);
            registrar().delete("/v1/services/logged/endpoints/fd00:70ea::7:1").then().statusCode(204);
        } finally {
            logger.removeHandler(capture);
        }
        synchronized (lines) {
            assertEquals(true, lines.stream().anyMatch(l -> l.contains("registrar from") && l.contains("registered fd00:70ea::7:1")), lines::toString);
            assertEquals(true, lines.stream().anyMatch(l -> l.contains("registrar from") && l.contains("removed fd00:70ea::7:1")), lines::toString);
        }
    }

    private static RequestSpecification registrar() {
        return given().auth().oauth2(TOKEN);
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
