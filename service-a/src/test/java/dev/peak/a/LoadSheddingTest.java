package dev.peak.a;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
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
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * Past {@code peak.http.max-in-flight} requests in flight, a new one is answered 503 at once with
 * {@code Retry-After} and the JSON error body, and counted; probes are never shed, so a shedding instance
 * stays up.
 */
@QuarkusTest
@TestProfile(LoadSheddingTest.BoundOfTwo.class)
class LoadSheddingTest {

    private static final int BOUND = 2;

    public static class BoundOfTwo implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("peak.http.max-in-flight", String.valueOf(BOUND));
        }
    }

    @Test
    void requestsPastTheBoundAre503JsonWithRetryAfterAndTheRestAreServed() throws Exception {
        double shedBefore = metric("peak_http_requests_shed_total");
        HttpClient client = HttpClient.newHttpClient();
        URI slow = URI.create("http://localhost:" + RestAssured.port + "/work?cost=" + WorkFunction.MAX_COST);
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            sent.add(client.sendAsync(HttpRequest.newBuilder(slow).build(), HttpResponse.BodyHandlers.ofString()));
        }
        double highest = 0;
        boolean probedWhileShedding = false;
        while (sent.stream().anyMatch(f -> !f.isDone())) {
            highest = Math.max(highest, metric("peak_http_requests_in_flight"));
            if (highest >= BOUND && !probedWhileShedding) {
                given().get("/q/health/live").then().statusCode(200);
                probedWhileShedding = true;
            }
        }
        int served = 0;
        int shed = 0;
        for (var future : sent) {
            HttpResponse<String> response = future.get();
            if (response.statusCode() == 200) {
                served++;
                continue;
            }
            assertEquals(503, response.statusCode(), response.body());
            assertEquals("1", response.headers().firstValue("Retry-After").orElse(null));
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            assertTrue(response.body().startsWith("{\"error\":\"overloaded\""), response.body());
            shed++;
        }
        assertTrue(served >= 1 && shed >= 1, served + " served, " + shed + " shed");
        assertTrue(highest <= BOUND, "in flight reached " + highest + ", past the bound");
        assertEquals(shed, metric("peak_http_requests_shed_total") - shedBefore, 0.0);
        assertEquals(0.0, metric("peak_http_requests_in_flight"), "shed requests leave the gauge as it was");
        given().get("/work?cost=1").then().statusCode(200).body("service", equalTo("a"));
    }

    private static double metric(String name) {
        String metrics = given().get("/q/metrics").then().extract().asString();
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(metrics);
        assertTrue(m.find(), "no " + name + " in /q/metrics");
        return Double.parseDouble(m.group(1));
    }
}
