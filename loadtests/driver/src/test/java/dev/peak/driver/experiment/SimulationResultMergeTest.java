package dev.peak.driver.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import dev.peak.driver.results.Second;

/** Several generators' runs of one step (in-cluster load) as one run. */
class SimulationResultMergeTest {

    /** Generator 1: 100 fast requests (1..100 ms); it started at 10 000 ms. */
    private final Histogram fast = histogram(1, 100);
    /** Generator 2: 50 slow requests (200..249 ms); it started 1.2 s later and ran a little longer. */
    private final Histogram slow = histogram(200, 249);
    private final SimulationResult first = result(10_000, 16_000, fast, 11, 1,
            List.of(new Second(0, 40, 0), new Second(1, 50, 1), new Second(2, 10, 0)), Map.of("a-1", 60L, "a-2", 40L), 2.5);
    private final SimulationResult second = result(11_200, 17_500, slow, 5, 0,
            List.of(new Second(0, 20, 0), new Second(1, 30, 2)), Map.of("a-2", 30L, "a-3", 20L), 1.5);

    @Test
    void mergedPercentilesAreThoseOfOneHistogramFedBothSamples() {
        Histogram both = histogram(1, 100);
        both.add(slow);
        SimulationResult.Latency expected = latencyOf(both);

        SimulationResult.Latency merged = SimulationResult.merge(List.of(first, second)).latency().get("work");

        assertEquals(150, merged.count());
        assertEquals(expected.p50Ms(), merged.p50Ms());
        assertEquals(expected.p95Ms(), merged.p95Ms());
        assertEquals(expected.p99Ms(), merged.p99Ms());
        assertEquals(expected.maxMs(), merged.maxMs());
        assertEquals(expected.meanMs(), merged.meanMs());
        assertEquals(both, decode(merged.hdr()), "the merged hdr is the sum, for merging again");
    }

    @Test
    void countsPerInstanceCountsAndCpuAreAdded() {
        SimulationResult merged = SimulationResult.merge(List.of(first, second));

        assertEquals(new SimulationResult.Counts(16, 1), merged.sessions());
        assertEquals(new SimulationResult.Counts(150, 3), merged.requests());
        assertEquals(Map.of("a-1", 60L, "a-2", 70L, "a-3", 20L), merged.perInstance());
        assertEquals(4.0, merged.processCpuS());
        assertEquals(20.0, merged.rate(), "each generator offered its share");
    }

    @Test
    void theMergedRunSpansFromTheFirstStartToTheLastEnd() {
        SimulationResult merged = SimulationResult.merge(List.of(second, first));

        assertEquals(10_000, merged.startEpochMs());
        assertEquals(17_500, merged.endEpochMs());
    }

    @Test
    void perSecondSeriesAreAddedByWallClockSecond() {
        // the second generator started 1.2 s after the first: its second 0 is the first's second 1
        assertEquals(List.of(new Second(0, 40, 0), new Second(1, 70, 1), new Second(2, 40, 2)),
                SimulationResult.merge(List.of(first, second)).perSecond());
    }

    @Test
    void oneGeneratorsRunIsTheStepsRun() {
        assertSame(first, SimulationResult.merge(List.of(first)));
    }

    private static SimulationResult result(long start, long end, Histogram work, long sessionsOk, long sessionsKo,
                                           List<Second> perSecond, Map<String, Long> perInstance, double cpuS) {
        long ko = perSecond.stream().mapToLong(Second::ko).sum();
        return new SimulationResult("Ri1PeakSimulation", 10, 5, 10, 1000, start, end,
                new SimulationResult.Counts(sessionsOk, sessionsKo), new SimulationResult.Counts(work.getTotalCount(), ko),
                Map.of("work", latencyOf(work)), perSecond, perInstance, cpuS);
    }

    /** As the simulations summarise a histogram (loadtests/simulations' Measurements). */
    private static SimulationResult.Latency latencyOf(Histogram h) {
        return new SimulationResult.Latency(h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(95) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0,
                Math.round(h.getMean()) / 1000.0, encode(h));
    }

    /** One sample per millisecond from {@code fromMs} to {@code toMs}, in microseconds. */
    private static Histogram histogram(int fromMs, int toMs) {
        Histogram h = new Histogram(3);
        for (int ms = fromMs; ms <= toMs; ms++) {
            h.recordValue(ms * 1000L);
        }
        return h;
    }

    private static String encode(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
    }

    private static Histogram decode(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        } catch (DataFormatException e) {
            throw new AssertionError(e);
        }
    }
}
