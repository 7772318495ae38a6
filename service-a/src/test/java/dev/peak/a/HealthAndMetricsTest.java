package dev.peak.a;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.peak.common.work.WorkFunction;
import io.restassured.RestAssured;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(HealthAndMetricsTest.WithoutDelayShedding.class)
class HealthAndMetricsTest {

    /**
     * Eight CPU-bound requests on worker threads can starve the event loop of a 2-CPU machine past the delay bound
     * twice in a row, and it then sheds, as it should; this class is about the gauge.
     */
    public static class WithoutDelayShedding extends WithServiceB {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("peak.http.max-event-loop-delay", "0");
        }
    }

    @Test
    void readyOnceTheSigningKeyIsLoaded() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("signing-keys"))
                .body("checks.find { it.name == 'signing-keys' }.data.kid", equalTo("rs256-1"));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void metricsCountRequestsPerEndpointAndExportTheInFlightGauge() {
        given().get("/work").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("peak_http_requests_in_flight "))
                .body(matchesPattern("(?s).*http_server_requests_seconds_count\\{[^}]*uri=\"/work\"[^}]*\\} [1-9].*"));
    }

    @Test
    void inFlightGaugeRisesWhileRequestsRunAndReturnsToZero() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        URI slow = URI.create("http://localhost:" + RestAssured.port + "/work?cost=" + WorkFunction.MAX_COST);
        List<CompletableFuture<HttpResponse<Void>>> running = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            running.add(client.sendAsync(HttpRequest.newBuilder(slow).build(), HttpResponse.BodyHandlers.discarding()));
        }
        double highest = 0;
        while (running.stream().anyMatch(f -> !f.isDone())) {
            highest = Math.max(highest, inFlight());
        }
        for (var response : running) {
            assertEquals(200, response.get().statusCode());
        }
        assertTrue(highest >= 1, "the gauge never saw a running request");
        assertEquals(0.0, inFlight());
    }

    private static double inFlight() {
        String metrics = given().get("/q/metrics").then().extract().asString();
        Matcher m = Pattern.compile("(?m)^peak_http_requests_in_flight (\\S+)$").matcher(metrics);
        assertTrue(m.find(), "no peak_http_requests_in_flight in /q/metrics");
        return Double.parseDouble(m.group(1));
    }

    @Test
    void probesAndScrapesAreNotCountedAsLoad() {
        // The scrape itself is under /q/: with no application request running the gauge reads 0.
        given().get("/q/metrics").then().body(containsString("peak_http_requests_in_flight 0.0"));
    }
}
