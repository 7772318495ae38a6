package dev.peak.dns.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

import dev.peak.dns.Dns;
import dev.peak.dns.LoopbackLab;
import dev.peak.dns.server.DnsServer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The admin HTTP side: /v1/services, /q/health/ready and /q/metrics (docs/architecture.md: peak-dns). */
@QuarkusTest
@WithTestResource(LoopbackLab.class)
class AdminApiTest {

    private static final String ZONE = LoopbackLab.ZONE;

    @Inject
    DnsServer server;

    @Inject
    MeterRegistry registry;

    @Test
    void servicesListShowsEverySettingAndEndpoint() {
        given().get("/v1/services").then().statusCode(200).contentType("application/json")
                .body("zoneVersion", notNullValue())
                .body("services.name", contains(LoopbackLab.A, LoopbackLab.LEAST, LoopbackLab.LOOP6, LoopbackLab.PAIR,
                        LoopbackLab.BIG, LoopbackLab.V4, LoopbackLab.WEB))
                .body("services.find { it.name == 'a' }.policy", equalTo("round-robin"))
                .body("services.find { it.name == 'a' }.answerSize", equalTo(1))
                .body("services.find { it.name == 'a' }.ttl", equalTo((int) LoopbackLab.A_TTL))
                .body("services.find { it.name == 'a' }.port", equalTo(8080))
                .body("services.find { it.name == 'a' }.endpoints", hasSize(3))
                .body("services.find { it.name == 'a' }.endpoints.health", everyItem(equalTo("UP")))
                .body("services.find { it.name == 'a' }.endpoints.weight", everyItem(equalTo(1)))
                .body("services.find { it.name == 'least' }.policy", equalTo("least-loaded"))
                .body("services.find { it.name == 'pair' }.answerSize", equalTo(2));
    }

    @Test
    void servicesListCountsSelections() {
        long before = selections(LoopbackLab.PAIR);
        for (int i = 0; i < 5; i++) {
            Dns.ask(server.udpPort(), false, "pair." + ZONE, Type.AAAA);
        }
        assertEquals(before + 10, selections(LoopbackLab.PAIR), "5 answers of 2 addresses");
    }

    @Test
    void selectionsAreExportedPerServiceAndEndpoint() {
        String series = "peak_dns_selections_total{endpoint=\"10.70.0.1\",service=\"v4\"}";
        double before = metric(series);
        for (int i = 0; i < 3; i++) {
            Dns.ask(server.udpPort(), false, "v4." + ZONE, Type.A);
        }
        assertEquals(before + 3, metric(series));
    }

    @Test
    void responsesAreCountedByRcode() {
        double nxdomain = metric("peak_dns_responses_total{rcode=\"NXDOMAIN\"}");
        double refused = metric("peak_dns_responses_total{rcode=\"REFUSED\"}");
        double noerror = metric("peak_dns_responses_total{rcode=\"NOERROR\"}");
        Dns.ask(server.udpPort(), false, "nosuch." + ZONE, Type.AAAA);
        Dns.ask(server.tcpPort(), true, "nosuch." + ZONE, Type.AAAA);
        Dns.ask(server.udpPort(), false, "example.com.", Type.AAAA);
        Dns.ask(server.udpPort(), false, "a." + ZONE, Type.AAAA);
        assertEquals(nxdomain + 2, metric("peak_dns_responses_total{rcode=\"NXDOMAIN\"}"));
        assertEquals(refused + 1, metric("peak_dns_responses_total{rcode=\"REFUSED\"}"));
        assertEquals(noerror + 1, metric("peak_dns_responses_total{rcode=\"NOERROR\"}"));
    }

    @Test
    void udpClientsCreateNoMeters() {
        // Vert.x tags UDP meters with the client's address (docs/architecture.md: Pitfalls): one series per client,
        // unbounded.
        for (int client = 0; client < 50; client++) { // each from a fresh socket: 50 client addresses
            Dns.ask(server.udpPort(), false, "a." + ZONE, Type.AAAA);
        }
        Set<Meter.Id> before = registry.getMeters().stream().map(Meter::getId).collect(Collectors.toSet());
        for (int client = 0; client < 50; client++) {
            Dns.ask(server.udpPort(), false, "a." + ZONE, Type.AAAA);
        }
        // The JVM's own meters may appear meanwhile (a first GC of a new kind); nothing else may.
        List<Meter.Id> added = registry.getMeters().stream().map(Meter::getId)
                .filter(id -> !before.contains(id) && !id.getName().startsWith("jvm.")).toList();
        assertEquals(List.of(), added, "new clients, new meters");
        List<String> udp = registry.getMeters().stream().map(m -> m.getId().getName()).filter(n -> n.startsWith("udp")).toList();
        assertEquals(List.of(), udp);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.lines().noneMatch(l -> l.startsWith("udp_")), "no udp_* series in /q/metrics");
    }

    @Test
    void readinessReportsZoneAndSockets() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'peak-dns' }.data.zone", equalTo(ZONE))
                .body("checks.find { it.name == 'peak-dns' }.data.socketsBound", equalTo(true))
                .body("checks.find { it.name == 'peak-dns' }.data.services", equalTo(7));
    }

    @Test
    void registrationAnswers404WhileTheRegistryIsOff() {
        given().put("/v1/services/a/endpoints/fd00:70ea::a:9").then().statusCode(404).contentType("application/json")
                .body("error", equalTo("registry_disabled"));
        given().delete("/v1/services/a/endpoints/fd00:70ea::a:1").then().statusCode(404).contentType("application/json")
                .body("error", equalTo("registry_disabled"));
    }

    private static long selections(String service) {
        List<Number> counts = given().get("/v1/services").then().statusCode(200).extract().jsonPath()
                .getList("services.find { it.name == '" + service + "' }.endpoints.selections");
        return counts.stream().mapToLong(Number::longValue).sum();
    }

    /** One series' value from /q/metrics; 0 when it does not exist yet. */
    static double metric(String series) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
