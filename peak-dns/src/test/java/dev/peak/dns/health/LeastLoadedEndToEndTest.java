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
        for (String address : List.of("127.0.0.5", "127.0.0.6")) {
            LabControl.load(address, 0);
            LabControl.shedding(address, false);
        }
    }

    @Test
    void lessLoadedEndpointGetsMostAnswers() {
        assertMostAnswersGoTo("127.0.0.5", "127.0.0.6");
        assertMostAnswersGoTo("127.0.0.6", "127.0.0.5");
    }

    /**
     * A shedding server answers its 503s at once, so its in-flight gauge is the lowest exactly when it refuses
     * work; new clients go to the busy one that still serves them.
     */
    @Test
    void aSheddingEndpointGetsNewClientsLastThoughItsInFlightIsLowest() {
        LabControl.load("127.0.0.5", 0);
        LabControl.shedding("127.0.0.5", true);
        LabControl.load("127.0.0.6", 500);
        Await.until(Duration.ofSeconds(3), () -> shedding().get("127.0.0.5") && loads().get("127.0.0.6") == 500,
                () -> "shedding: " + shedding() + ", load readings: " + loads());
        assertMostAnswersGo("127.0.0.6", "127.0.0.5");

        LabControl.shedding("127.0.0.5", false);
        Await.until(Duration.ofSeconds(3), () -> !shedding().get("127.0.0.5"), () -> "shedding: " + shedding());
        assertMostAnswersGo("127.0.0.5", "127.0.0.6");
    }

    private void assertMostAnswersGoTo(String idle, String busy) {
        LabControl.load(idle, 0);
        LabControl.load(busy, 500);
        Await.until(Duration.ofSeconds(3), () -> loads().get(busy) == 500 && loads().get(idle) == 0,
                () -> "load readings: " + loads());
        assertMostAnswersGo(idle, busy);
    }

    private void assertMostAnswersGo(String preferred, String other) {
        Map<String, Integer> answers = new HashMap<>();
        for (int i = 0; i < QUERIES; i++) {
            Dns.addresses(Dns.ask(server.udpPort(), false, LEAST, Type.A)).forEach(a -> answers.merge(a, 1, Integer::sum));
        }
        assertTrue(answers.getOrDefault(preferred, 0) >= QUERIES * 9 / 10,
                preferred + " should get most answers, not " + other + ": " + answers);
    }

    /** Endpoint → last load reading, from the admin API. */
    private static Map<String, Double> loads() {
        Map<String, Double> loads = new HashMap<>();
        endpoints().forEach(e -> loads.put((String) e.get("address"), ((Number) e.get("load")).doubleValue()));
        return loads;
    }

    /** Endpoint → whether it shed requests between its last two readings, from the admin API. */
    private static Map<String, Boolean> shedding() {
        Map<String, Boolean> shedding = new HashMap<>();
        endpoints().forEach(e -> shedding.put((String) e.get("address"), (Boolean) e.get("shedding")));
        return shedding;
    }

    private static List<Map<String, Object>> endpoints() {
        return given().get("/v1/services").then().statusCode(200).extract()
                .jsonPath().getList("services.find { it.name == 'least' }.endpoints");
    }
}
