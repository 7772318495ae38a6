package dev.peak.measurement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Several generators' measurements of one level (generator pods sharing a rate) as one. */
class LevelMeasurementTest {

    private static Latency latency(long fromUs, long toUs) {
        Histogram h = new Histogram(Latency.SIGNIFICANT_DIGITS);
        for (long us = fromUs; us <= toUs; us++) {
            h.recordValue(us);
        }
        return Latency.of(h);
    }

    /** Generator 1 opened its 5 s window at 10 000 ms; generator 2 1.2 s later. */
    private final LevelMeasurement first = new LevelMeasurement(3, 250, 10_000, 15_000, 25, new Counts(250, 2, 1), 240,
            Map.of("work", latency(1000, 1249)), Map.of("a-1", 150L, "a-2", 100L), 0.5);
    private final LevelMeasurement second = new LevelMeasurement(3, 250, 11_200, 16_200, 24, new Counts(240, 0), 245,
            Map.of("work", latency(2000, 2239)), Map.of("a-2", 140L, "a-3", 100L), 0.7);

    @Test
    void countsRatesInstancesAndCpuAreAdded() {
        LevelMeasurement merged = LevelMeasurement.merge(List.of(first, second));

        assertEquals(500, merged.rate(), "each generator offered its share");
        assertEquals(49, merged.sessionsStarted());
        assertEquals(new Counts(490, 2, 1), merged.requests(), "shed requests add up like the others");
        assertEquals(485, merged.primaryCompleted());
        assertEquals(Map.of("a-1", 150L, "a-2", 240L, "a-3", 100L), merged.perInstance());
        assertEquals(1.2, merged.processCpuS(), 1e-9);
    }

    @Test
    void theWindowIsAsLongAsEachGeneratorsSoTheAchievedRateIsNotStretchedByTheirSkew() {
        LevelMeasurement merged = LevelMeasurement.merge(List.of(first, second));

        assertEquals(5.0, merged.windowSeconds());
        assertEquals(97.0, merged.achievedRps());
        assertEquals(10_000, merged.windowStartEpochMs());
    }

    @Test
    void mergedLatencyIsTheSumOfTheHistograms() {
        LevelMeasurement merged = LevelMeasurement.merge(List.of(first, second));

        assertEquals(Latency.sum(List.of(first.call("work"), second.call("work"))), merged.call("work"));
        assertEquals(Latency.NONE, merged.call("chain"), "a kind nobody timed is empty");
    }

    @Test
    void oneMeasurementIsItsOwnMerge() {
        assertSame(first, LevelMeasurement.merge(List.of(first)));
    }
}
