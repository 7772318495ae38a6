package dev.peak.driver.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.peak.driver.results.Percentiles;
import dev.peak.driver.results.Second;

/** What one simulation run measured itself (loadtests/simulations writes it at the end of the run). */
record SimulationResult(String simulation, double rate, int durationS, int k, int cost, long startEpochMs,
                        long endEpochMs, Counts sessions, Counts requests, Map<String, Latency> latency,
                        List<Second> perSecond, Map<String, Long> perInstance, double processCpuS) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    record Counts(long ok, long ko) {
        long total() {
            return ok + ko;
        }
    }

    /** Latencies of one request kind; hdr is the base64 compressed HdrHistogram (µs), for merging. */
    record Latency(long count, double p50Ms, double p95Ms, double p99Ms, double maxMs, double meanMs, String hdr) {
        Percentiles percentiles() {
            return new Percentiles(count, p50Ms, p95Ms, p99Ms, maxMs);
        }
    }

    static SimulationResult read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), SimulationResult.class);
    }

    Latency call(String kind) {
        Latency l = latency.get(kind);
        return l != null ? l : new Latency(0, 0, 0, 0, 0, 0, null);
    }
}
