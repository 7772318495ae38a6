package dev.peak.a;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.peak.common.work.WorkExecution;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * Work done inline on the event loop queues in front of it, one request at a time, where a bound of requests in
 * flight sees nothing. Past {@code peak.http.max-event-loop-delay}, held at two heartbeats in a row, a request the
 * loop reads late is answered 503 at once, so that an overload costs the requests that came too late, not the
 * latency of all of them; a loop held once, with no queue behind it, sheds nothing.
 */
@QuarkusTest
@TestProfile(EventLoopDelaySheddingTest.OneLoopTwentyMilliseconds.class)
class EventLoopDelaySheddingTest {

    /** Clients sending one request after the other: 100 × 0.7 ms of inline work keeps the loop 70 ms behind. */
    private static final int CLIENTS = 100;
    private static final Duration OVERLOAD = Duration.ofMillis(1500);

    public static class OneLoopTwentyMilliseconds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("peak.http.max-event-loop-delay", "20ms", "quarkus.vertx.event-loops-pool-size", "1");
        }
    }

    private final HttpClient client = HttpClient.newHttpClient();
    private URI inline;

    @Test
    void aLoopHeldOnceShedsNothing() throws Exception {
        warm();
        // one burst read at once: the loop is late only after it, and nothing is waiting by then
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            burst.add(client.sendAsync(HttpRequest.newBuilder(inline).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (var response : burst) {
            assertEquals(200, response.get().statusCode(), response.get().body());
        }
    }

    @Test
    void aStandingDelayShedsTheRequestsReadLateServesTheOthersAndStaysUp() throws Exception {
        warm();
        AtomicInteger served = new AtomicInteger();
        AtomicInteger shed = new AtomicInteger();
        long end = System.nanoTime() + OVERLOAD.toNanos();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            running.add(clients.submit(() -> {
                while (System.nanoTime() < end) {
                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(inline).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        served.incrementAndGet();
                        continue;
                    }
                    assertEquals(503, response.statusCode(), response.body());
                    assertEquals("1", response.headers().firstValue("Retry-After").orElse(null));
                    assertTrue(response.body().startsWith("{\"error\":\"overloaded\""), response.body());
                    shed.incrementAndGet();
                }
                return null;
            }));
        }
        // the probes of peak-dns, the proxies and the sidecars must see a shedding server up: /q/* is never shed
        // (liveness here: this test's A has no signing keys, so its readiness is down for that reason alone)
        List<String> health = new ArrayList<>();
        URI live = inline.resolve("/q/health/live");
        while (System.nanoTime() < end) {
            HttpResponse<String> probe = client.send(HttpRequest.newBuilder(live).build(),
                    HttpResponse.BodyHandlers.ofString());
            health.add(probe.statusCode() + " " + probe.body());
            Thread.sleep(50);
        }
        for (Future<?> client : running) {
            client.get();
        }
        clients.shutdown();
        assertTrue(served.get() >= 1 && shed.get() >= 1, served + " served, " + shed + " shed");
        assertTrue(!health.isEmpty() && health.stream().allMatch(probe -> probe.startsWith("200 ")),
                "health while shedding: " + health);
        assertTrue(metric("peak_http_event_loop_delay_seconds") >= 0, "the delay is exported");
        given().get("/work?cost=1").then().statusCode(200).body("service", equalTo("a"));
    }

    /** The first requests' class loading holds the loop for longer than the bound. */
    private void warm() throws Exception {
        inline = URI.create("http://localhost:" + RestAssured.port + "/work?cost=" + WorkExecution.MAX_INLINE_COST);
        for (int i = 0; i < 50; i++) {
            client.send(HttpRequest.newBuilder(inline).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static double metric(String name) {
        String metrics = given().get("/q/metrics").then().extract().asString();
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(metrics);
        assertTrue(m.find(), "no " + name + " in /q/metrics");
        return Double.parseDouble(m.group(1));
    }
}
