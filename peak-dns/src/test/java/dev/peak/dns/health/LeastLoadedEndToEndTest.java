package dev.peak.dns.health;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

import dev.peak.dns.Await;
import dev.peak.dns.Dns;
import dev.peak.dns.LabControl;
import dev.peak.dns.LoopbackLab;
import dev.peak.dns.server.DnsServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * least-loaded reads each endpoint's {@code peak_http_requests_in_flight} and answers the less loaded
 * one (docs/architecture.md: peak-dns, Balancing), with the stand-ins on 127.0.0.5 and 127.0.0.6 as the {@code least}
 * service.
 */
@QuarkusTest
@WithTestResource(LoopbackLab.class)
class LeastLoadedEndToEndTest {

    private static final String LEAST = LoopbackLab.LEAST + "." + LoopbackLab.ZONE;
    private static final int QUERIES = 100;

    @Inject
    DnsServer server;

    @AfterEach
    void idle() {
        LabControl.load("127.0.0.5", 0);
        LabControl.load("127.0.0.6", 0);
    }

    @Test
    void lessLoadedEndpointGetsMostAnswers() {
        assertMostAnswersGoTo("127.0.0.5", "127.0.0.6");
        assertMostAnswersGoTo("127.0.0.6", "127.0.0.5");
    }

    private void assertMostAnswersGoTo(String idle, String busy) {
        LabControl.load(idle, 0);
        LabControl.load(busy, 500);
        Await.until(Duration.ofSeconds(3), () -> loads().get(busy) == 500 && loads().get(idle) == 0,
                () -> "load readings: " + loads());
        Map<String, Integer> answers = new HashMap<>();
        for (int i = 0; i < QUERIES; i++) {
            Dns.addresses(Dns.ask(server.udpPort(), false, LEAST, Type.A)).forEach(a -> answers.merge(a, 1, Integer::sum));
        }
        int toIdle = answers.getOrDefault(idle, 0);
        assertTrue(toIdle >= QUERIES * 9 / 10, "the idle endpoint " + idle + " should get most answers: " + answers);
    }

    /** Endpoint → last load reading, from the admin API. */
    private static Map<String, Double> loads() {
        List<Map<String, Object>> endpoints = given().get("/v1/services").then().statusCode(200).extract()
                .jsonPath().getList("services.find { it.name == 'least' }.endpoints");
        Map<String, Double> loads = new HashMap<>();
        endpoints.forEach(e -> loads.put((String) e.get("address"), ((Number) e.get("load")).doubleValue()));
        return loads;
    }
}
