package dev.peak.dns.health;

import static dev.peak.dns.LoopbackLab.FALL;
import static dev.peak.dns.LoopbackLab.HEALTH_INTERVAL_MILLIS;
import static dev.peak.dns.LoopbackLab.RISE;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

import dev.peak.dns.Await;
import dev.peak.dns.Dns;
import dev.peak.dns.LabControl;
import dev.peak.dns.LoopbackLab;
import dev.peak.dns.server.DnsServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Endpoints leave and rejoin the answers as their readiness changes (docs/architecture.md: peak-dns, Health), with the
 * stand-ins of {@link LoopbackLab} on 127.0.0.2-4 as the {@code web} service (interval 200 ms,
 * rise 2, fall 2, round-robin, k = 1).
 */
@QuarkusTest
@WithTestResource(LoopbackLab.class)
class HealthTransitionTest {

    /** Probes run on a 100 ms tick and take up to their timeout: what a transition may take beyond its thresholds. */
    private static final long SLACK_MILLIS = 1_000;
    private static final Duration LEAVE = Duration.ofMillis(HEALTH_INTERVAL_MILLIS * FALL + SLACK_MILLIS);
    private static final Duration RETURN = Duration.ofMillis(HEALTH_INTERVAL_MILLIS * RISE + SLACK_MILLIS);
    private static final String WEB = LoopbackLab.WEB + "." + LoopbackLab.ZONE;

    @Inject
    DnsServer server;

    @BeforeEach
    @AfterEach
    void everyStandInReady() {
        LabControl.reset();
        Await.until(Duration.ofSeconds(5), () -> healthOf(LoopbackLab.WEB).values().stream().allMatch("UP"::equals),
                () -> "web endpoints back up: " + healthOf(LoopbackLab.WEB));
    }

    @Test
    void endpointAnswering503LeavesTheAnswersWithinIntervalTimesFall() {
        assertEquals(Set.copyOf(LoopbackLab.WEB_ENDPOINTS), answered(30));
        LabControl.status("127.0.0.3", 503);
        long took = Await.until(LEAVE, () -> !answered(6).contains("127.0.0.3"), () -> "127.0.0.3 still answered");
        assertTrue(took >= HEALTH_INTERVAL_MILLIS * (FALL - 1) - 100, "left after " + took + " ms: before fall probes could fail?");
        assertEquals("DOWN", healthOf(LoopbackLab.WEB).get("127.0.0.3"));
    }

    @Test
    void unhealthyEndpointIsNeverAnswered() {
        LabControl.status("127.0.0.3", 503);
        Await.until(LEAVE, () -> "DOWN".equals(healthOf(LoopbackLab.WEB).get("127.0.0.3")), () -> "127.0.0.3 down");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            seen.addAll(answered(1));
        }
        assertEquals(Set.of("127.0.0.2", "127.0.0.4"), seen, "the healthy ones share the answers, the unhealthy one never");
    }

    @Test
    void endpointThatStopsListeningLeavesTheAnswers() {
        LabControl.stop("127.0.0.4");
        Await.until(LEAVE, () -> !answered(6).contains("127.0.0.4"), () -> "127.0.0.4 still answered");
        LabControl.start("127.0.0.4");
        Await.until(RETURN, () -> answered(6).contains("127.0.0.4"), () -> "127.0.0.4 not back");
    }

    @Test
    void recoveredEndpointReturnsWithinIntervalTimesRise() {
        LabControl.status("127.0.0.2", 503);
        Await.until(LEAVE, () -> "DOWN".equals(healthOf(LoopbackLab.WEB).get("127.0.0.2")), () -> "127.0.0.2 down");
        LabControl.status("127.0.0.2", 200);
        long took = Await.until(RETURN, () -> answered(6).contains("127.0.0.2"), () -> "127.0.0.2 not back");
        assertTrue(took >= HEALTH_INTERVAL_MILLIS * (RISE - 1) - 100, "back after " + took + " ms: one success is not rise = 2");
    }

    @Test
    void allEndpointsDownFailsOpen() {
        LoopbackLab.WEB_ENDPOINTS.forEach(address -> LabControl.status(address, 503));
        Await.until(LEAVE, () -> healthOf(LoopbackLab.WEB).values().stream().allMatch("DOWN"::equals),
                () -> "all down: " + healthOf(LoopbackLab.WEB));
        Message response = Dns.ask(server.udpPort(), false, WEB, Type.A);
        assertEquals(Rcode.NOERROR, response.getRcode());
        assertEquals(1, Dns.addresses(response).size(), "a wrong health check must not black-hole the service");
        assertEquals(Set.copyOf(LoopbackLab.WEB_ENDPOINTS), answered(30), "answers spread over all of them");
    }

    @Test
    void ipv6EndpointIsProbedWithABracketedHostHeader() {
        // "::1:8080" is not a valid Host header; a strict server (Vert.x, so every Quarkus service) may
        // answer it 400 and the endpoint would look down for good.
        Await.until(Duration.ofSeconds(2), () -> !"null".equals(LabControl.lastProbeHost("::1")), () -> "a probe of ::1");
        String host = LabControl.lastProbeHost("::1");
        Matcher bracketed = Pattern.compile("\\[([0-9a-fA-F:]+)]:" + LabControl.port()).matcher(host);
        assertTrue(bracketed.matches(), "Host: " + host);
        assertEquals(Dns.LOOPBACK, ip(bracketed.group(1)));
        assertEquals(Map.of("::1", "UP"), healthOf(LoopbackLab.LOOP6));
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Set<String> answered(int queries) {
        Set<String> addresses = new HashSet<>();
        for (int i = 0; i < queries; i++) {
            addresses.addAll(Dns.addresses(Dns.ask(server.udpPort(), false, WEB, Type.A)));
        }
        return addresses;
    }

    /** Endpoint address → health, from the admin API. */
    static Map<String, String> healthOf(String service) {
        List<Map<String, Object>> endpoints = given().get("/v1/services").then().statusCode(200).extract()
                .jsonPath().getList("services.find { it.name == '" + service + "' }.endpoints");
        Map<String, String> health = new java.util.TreeMap<>();
        endpoints.forEach(e -> health.put((String) e.get("address"), (String) e.get("health")));
        return health;
    }
}
