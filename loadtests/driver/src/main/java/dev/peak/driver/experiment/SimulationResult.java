package dev.peak.driver.experiment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.HdrHistogram.Histogram;

import dev.peak.driver.results.Metrics;
import dev.peak.driver.results.Percentiles;
import dev.peak.driver.results.Second;

/** What one simulation run measured itself (loadtests/simulations writes it at the end of the run). */
public record SimulationResult(String simulation, double rate, int durationS, int k, int cost, long startEpochMs,
                               long endEpochMs, Counts sessions, Counts requests, Map<String, Latency> latency,
                               List<Second> perSecond, Map<String, Long> perInstance, double processCpuS) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public record Counts(long ok, long ko) {
        long total() {
            return ok + ko;
        }
    }

    /** Latencies of one request kind; hdr is the base64 compressed HdrHistogram (µs), for merging. */
    public record Latency(long count, double p50Ms, double p95Ms, double p99Ms, double maxMs, double meanMs, String hdr) {
        Percentiles percentiles() {
            return new Percentiles(count, p50Ms, p95Ms, p99Ms, maxMs);
        }

        /** The histograms added, their figures computed again as the simulations compute them. */
        static Latency add(List<Latency> parts) {
            List<String> encoded = new ArrayList<>();
            for (Latency part : parts) {
                if (part.hdr() == null && part.count() > 0) {
                    throw new IllegalArgumentException("a latency of " + part.count() + " samples has no histogram to add");
                }
                if (part.hdr() != null) {
                    encoded.add(part.hdr());
                }
            }
            Histogram sum = Metrics.add(encoded);
            long count = sum.getTotalCount();
            return new Latency(count, millis(sum, 50), millis(sum, 95), millis(sum, 99),
                    count == 0 ? 0 : sum.getMaxValue() / 1000.0,
                    count == 0 ? 0 : Math.round(sum.getMean()) / 1000.0, encode(sum));
        }

        private static double millis(Histogram histogram, double percentile) {
            return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
        }

        private static String encode(Histogram histogram) {
            ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
            int length = histogram.encodeIntoCompressedByteBuffer(buffer);
            return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
        }
    }

    static SimulationResult read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), SimulationResult.class);
    }

    /** The JSON a simulation printed (with {@code peak.out=-}) or wrote. */
    public static SimulationResult parse(String json) {
        try {
            return JSON.readValue(json, SimulationResult.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a simulation's result: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * One run out of several generators' runs of the same step: counts, per-instance counts and CPU added,
     * latency histograms added (so the percentiles are those of all samples together), the run from the
     * first start to the last end. Per-second series are added by wall-clock second: each generator's series
     * is shifted by how much later than the first it started, so a fault falls into the same second in all.
     */
    public static SimulationResult merge(List<SimulationResult> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no run to merge");
        }
        if (runs.size() == 1) {
            return runs.get(0);
        }
        SimulationResult first = runs.get(0);
        long start = runs.stream().mapToLong(SimulationResult::startEpochMs).min().orElseThrow();
        long end = runs.stream().mapToLong(SimulationResult::endEpochMs).max().orElseThrow();
        Set<String> kinds = new LinkedHashSet<>();
        runs.forEach(r -> kinds.addAll(r.latency().keySet()));
        Map<String, Latency> latency = new LinkedHashMap<>();
        for (String kind : kinds) {
            latency.put(kind, Latency.add(runs.stream().map(r -> r.latency().get(kind)).filter(Objects::nonNull).toList()));
        }
        TreeMap<Integer, long[]> seconds = new TreeMap<>();
        Map<String, Long> perInstance = new TreeMap<>();
        for (SimulationResult run : runs) {
            int offset = (int) Math.round((run.startEpochMs() - start) / 1000.0);
            for (Second s : run.perSecond()) {
                long[] sum = seconds.computeIfAbsent(s.t() + offset, t -> new long[2]);
                sum[0] += s.ok();
                sum[1] += s.ko();
            }
            run.perInstance().forEach((name, count) -> perInstance.merge(name, count, Long::sum));
        }
        int last = seconds.isEmpty() ? -1 : seconds.lastKey();
        List<Second> perSecond = new ArrayList<>();
        for (int t = 0; t <= last; t++) {
            long[] sum = seconds.getOrDefault(t, new long[2]);
            perSecond.add(new Second(t, sum[0], sum[1]));
        }
        return new SimulationResult(first.simulation(), runs.stream().mapToDouble(SimulationResult::rate).sum(),
                runs.stream().mapToInt(SimulationResult::durationS).max().orElseThrow(), first.k(), first.cost(), start, end,
                new Counts(runs.stream().mapToLong(r -> r.sessions().ok()).sum(), runs.stream().mapToLong(r -> r.sessions().ko()).sum()),
                new Counts(runs.stream().mapToLong(r -> r.requests().ok()).sum(), runs.stream().mapToLong(r -> r.requests().ko()).sum()),
                latency, perSecond, perInstance, runs.stream().mapToDouble(SimulationResult::processCpuS).sum());
    }

    Latency call(String kind) {
        Latency l = latency.get(kind);
        return l != null ? l : new Latency(0, 0, 0, 0, 0, 0, null);
    }
}
