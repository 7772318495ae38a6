package dev.peak.measurement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyTest {

    private static Histogram micros(long from, long to) {
        Histogram h = new Histogram(Latency.SIGNIFICANT_DIGITS);
        for (long us = from; us <= to; us++) {
            h.recordValue(us);
        }
        return h;
    }

    @Test
    void theHistogramTravelsWithItsFigures() {
        Histogram h = micros(1000, 1999);
        Latency latency = Latency.of(h);

        assertEquals(1000, latency.count());
        assertEquals(h.getValueAtPercentile(99) / 1000.0, latency.p99Ms());
        assertEquals(h, latency.histogram(), "decoding gives back the histogram it was encoded from");
    }

    @Test
    void summedPercentilesAreThoseOfOneHistogramFedEverySample() {
        Histogram fast = micros(1000, 1099);
        Histogram slow = micros(200_000, 200_049);
        Histogram both = micros(1000, 1099);
        both.add(slow);

        Latency sum = Latency.sum(List.of(Latency.of(fast), Latency.of(slow)));

        assertEquals(Latency.of(both), sum);
    }

    @Test
    void nothingRecordedIsAllZeros() {
        assertEquals(0, Latency.NONE.count());
        assertEquals(0, Latency.NONE.p99Ms());
        assertEquals(0, Latency.sum(List.of()).count());
    }

    @Test
    void aLatencyWithSamplesButNoHistogramCannotBeAdded() {
        Latency orphan = new Latency(10, 1, 2, 3, 4, 5, 2, null);
        assertThrows(IllegalArgumentException.class, orphan::histogram);
        assertThrows(IllegalArgumentException.class, () -> new Latency(1, 1, 1, 1, 1, 1, 1, "not base64!").histogram());
    }
}
