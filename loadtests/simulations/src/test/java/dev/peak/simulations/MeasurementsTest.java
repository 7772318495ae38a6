package dev.peak.simulations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeasurementsTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final Parameters PARAMETERS = new Parameters(100.0, 10, 10, 100, Duration.ofSeconds(5), "unused", Duration.ZERO);

    private final Measurements measurements = Measurements.start("TestSimulation", PARAMETERS, List.of("token", "b"));
    private final long t0 = measurements.startNanos();

    @Test
    void percentilesAreTheRecordedLatenciesInMilliseconds() {
        for (int ms = 1; ms <= 100; ms++) {
            measurements.recordRequest("b", t0, t0 + ms * MS, true, List.of("b-1"));
        }

        JsonNode b = json().path("latency").path("b");

        assertEquals(100, b.path("count").asLong());
        // HdrHistogram with 3 significant digits: values within 0.1 %
        assertEquals(50.0, b.path("p50Ms").asDouble(), 0.05);
        assertEquals(95.0, b.path("p95Ms").asDouble(), 0.1);
        assertEquals(99.0, b.path("p99Ms").asDouble(), 0.1);
        assertEquals(100.0, b.path("maxMs").asDouble(), 0.1);
        assertEquals(50.5, b.path("meanMs").asDouble(), 0.05);
    }

    @Test
    void whatStartsWhileSettlingStaysOutOfTheFiguresButNotOutOfTheTimeline() {
        Measurements settling = Measurements.start("TestSimulation",
                new Parameters(100.0, 10, 10, 100, Duration.ofSeconds(5), "unused", Duration.ofSeconds(2)), List.of("work"));
        long start = settling.startNanos();
        settling.recordRequest("work", start + 1_000 * MS, start + 1_500 * MS, true, List.of("a-1"));
        settling.recordSession(start + 1_000 * MS, start + 2_500 * MS, true);
        settling.recordRequest("work", start + 2_000 * MS, start + 2_100 * MS, true, List.of("a-2"));
        settling.finish();

        JsonNode json = new ObjectMapper().valueToTree(settling.toJson());
        assertEquals(1, json.path("requests").path("ok").asLong());
        assertEquals(0, json.path("sessions").path("ok").asLong());
        assertEquals(1, json.path("latency").path("work").path("count").asLong());
        assertEquals("{\"a-2\":1}", json.path("perInstance").toString());
        assertEquals(2, json.path("perSecond").findValues("ok").stream().mapToLong(JsonNode::asLong).sum());
    }

    @Test
    void latenciesKeepMicrosecondResolution() {
        measurements.recordRequest("b", t0, t0 + 1_234_567, true, List.of("b-1"));

        assertEquals(1.234, json().path("latency").path("b").path("p50Ms").asDouble(), 0.002);
    }

    @Test
    void hdrFieldDecodesToTheSameHistogramInMicroseconds() {
        for (int ms = 1; ms <= 100; ms++) {
            measurements.recordRequest("token", t0, t0 + ms * MS, true, List.of());
        }

        Histogram decoded = Measurements.decodeHistogram(json().path("latency").path("token").path("hdr").asText());

        assertEquals(100, decoded.getTotalCount());
        assertEquals(50_000, decoded.getValueAtPercentile(50), 50);
        assertEquals(100_000, decoded.getMaxValue(), 100);
    }

    @Test
    void everyRequestKindHasALatencyEntryAfterTheSession() {
        List<String> kinds = new ArrayList<>();
        json().path("latency").fieldNames().forEachRemaining(kinds::add);

        assertEquals(List.of("session", "token", "b"), kinds);
        assertEquals(0, json().path("latency").path("token").path("count").asLong());
        assertEquals(0, Measurements.decodeHistogram(json().path("latency").path("token").path("hdr").asText()).getTotalCount());
    }

    @Test
    void requestsAreCountedInTheSecondTheyCompleteIncludingQuietSeconds() {
        measurements.recordRequest("b", t0, t0 + 100 * MS, true, List.of("b-1"));
        measurements.recordRequest("b", t0, t0 + 900 * MS, false, List.of());
        measurements.recordRequest("b", t0 + 500 * MS, t0 + 1_200 * MS, true, List.of("b-1"));
        measurements.recordRequest("b", t0 + 2_500 * MS, t0 + 3_999 * MS, false, List.of());

        JsonNode perSecond = json().path("perSecond");

        assertEquals(4, perSecond.size());
        assertSecond(perSecond.get(0), 0, 1, 1);
        assertSecond(perSecond.get(1), 1, 1, 0);
        assertSecond(perSecond.get(2), 2, 0, 0);
        assertSecond(perSecond.get(3), 3, 0, 1);
    }

    @Test
    void failedRequestsAreCountedButNeitherTimedNorCreditedToAnInstance() {
        measurements.recordRequest("b", t0, t0 + 5 * MS, true, List.of("b-1"));
        measurements.recordRequest("b", t0, t0 + 5_000 * MS, false, List.of("b-2"));

        JsonNode json = json();

        assertEquals(1, json.path("requests").path("ok").asLong());
        assertEquals(1, json.path("requests").path("ko").asLong());
        assertEquals(1, json.path("latency").path("b").path("count").asLong());
        assertEquals(5.0, json.path("latency").path("b").path("maxMs").asDouble(), 0.01);
        assertEquals(1, json.path("perInstance").size());
        assertEquals(1, json.path("perInstance").path("b-1").asLong());
    }

    @Test
    void aRequestThatNamesTwoInstancesCountsForBoth() {
        Measurements mesh = Measurements.start("Mesh", PARAMETERS, List.of("chain"));
        mesh.recordRequest("chain", mesh.startNanos(), mesh.startNanos() + MS, true, List.of("a-1", "b-2"));
        mesh.recordRequest("chain", mesh.startNanos(), mesh.startNanos() + MS, true, List.of("a-1", "b-1"));
        mesh.finish();

        JsonNode perInstance = new ObjectMapper().valueToTree(mesh.toJson()).path("perInstance");

        assertEquals(2, perInstance.path("a-1").asLong());
        assertEquals(1, perInstance.path("b-1").asLong());
        assertEquals(1, perInstance.path("b-2").asLong());
    }

    @Test
    void sessionsAreCountedOkAndKoAndOnlyOkOnesAreTimed() {
        measurements.recordSession(t0, t0 + 30 * MS, true);
        measurements.recordSession(t0, t0 + 40 * MS, true);
        measurements.recordSession(t0, t0 + 9_000 * MS, false);

        JsonNode json = json();

        assertEquals(2, json.path("sessions").path("ok").asLong());
        assertEquals(1, json.path("sessions").path("ko").asLong());
        assertEquals(2, json.path("latency").path("session").path("count").asLong());
        assertEquals(40.0, json.path("latency").path("session").path("maxMs").asDouble(), 0.05);
    }

    @Test
    void concurrentRecordingLosesNothing() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        measurements.recordRequest("b", t0, t0 + MS, i % 10 != 0, List.of(i % 2 == 0 ? "b-1" : "b-2"));
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            threads.shutdown();
        }

        JsonNode json = json();

        assertEquals(36_000, json.path("requests").path("ok").asLong());
        assertEquals(4_000, json.path("requests").path("ko").asLong());
        assertEquals(36_000, json.path("latency").path("b").path("count").asLong());
        assertEquals(36_000, json.path("perInstance").path("b-1").asLong() + json.path("perInstance").path("b-2").asLong());
    }

    @Test
    void writtenFileHasTheShapeTheDriverReads(@TempDir Path dir) throws Exception {
        measurements.recordSession(t0, t0 + 20 * MS, true);
        measurements.recordRequest("token", t0, t0 + 2 * MS, true, List.of());
        measurements.recordRequest("b", t0, t0 + 2 * MS, true, List.of("b-1"));
        measurements.finish();
        Path file = dir.resolve("runs/step-1.json");

        measurements.write(file);
        JsonNode json = new ObjectMapper().readTree(Files.readString(file));

        assertEquals(List.of("simulation", "rate", "durationS", "settleS", "k", "cost", "startEpochMs", "endEpochMs", "sessions",
                "requests", "latency", "perSecond", "perInstance", "processCpuS"), names(json.fieldNames()));
        assertEquals("TestSimulation", json.path("simulation").asText());
        assertEquals(100.0, json.path("rate").asDouble());
        assertEquals(10, json.path("durationS").asInt());
        assertEquals(List.of("count", "p50Ms", "p95Ms", "p99Ms", "maxMs", "meanMs", "hdr"),
                names(json.path("latency").path("session").fieldNames()));
        assertEquals(List.of("t", "ok", "ko"), names(json.path("perSecond").get(0).fieldNames()));
        assertEquals(true, json.path("endEpochMs").asLong() >= json.path("startEpochMs").asLong());
        assertEquals(true, json.path("processCpuS").isDouble() && json.path("processCpuS").asDouble() >= 0);
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no partial file left beside the result");
        }
    }

    @Test
    void printedResultIsTheWrittenJsonBetweenTheMarkerLinesTheDriverLooksFor(@TempDir Path dir) throws Exception {
        measurements.recordRequest("b", t0, t0 + 2 * MS, true, List.of("b-1"));
        measurements.finish();
        Path file = dir.resolve("step.json");
        measurements.write(file);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();

        measurements.print(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        List<String> lines = stdout.toString(StandardCharsets.UTF_8).lines().toList();

        assertEquals("--- peak simulation result begin ---", lines.get(0));
        assertEquals("--- peak simulation result end ---", lines.get(lines.size() - 1));
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(Files.readString(file)),
                json.readTree(String.join("\n", lines.subList(1, lines.size() - 1))));
    }

    @Test
    void unknownRequestKindIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> measurements.recordRequest("work", t0, t0, true, List.of()));
    }

    private JsonNode json() {
        measurements.finish();
        return new ObjectMapper().valueToTree(measurements.toJson());
    }

    private static void assertSecond(JsonNode second, long t, long ok, long ko) {
        assertEquals(t, second.path("t").asLong(), "t");
        assertEquals(ok, second.path("ok").asLong(), "ok in second " + t);
        assertEquals(ko, second.path("ko").asLong(), "ko in second " + t);
    }

    private static List<String> names(Iterator<String> fieldNames) {
        List<String> names = new ArrayList<>();
        fieldNames.forEachRemaining(names::add);
        return names;
    }
}
