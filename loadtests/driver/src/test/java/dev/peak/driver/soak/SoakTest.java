package dev.peak.driver.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import dev.peak.measurement.Counts;
import dev.peak.measurement.Latency;
import dev.peak.measurement.LevelMeasurement;

class SoakTest {

    private static final long MIB = 1 << 20;
    private static final int WINDOW = 2;

    @Test
    void aSteadyRunPassesEveryCheck() {
        Soak soak = run(6, n -> new Footprint(200 * MIB, 40, 10 * MIB), n -> 0L, n -> 5L);

        assertTrue(soak.passed());
        assertEquals(List.of("p99 ms", "error rate", "RSS MiB", "heap after GC MiB", "open fds"),
                soak.checks().stream().map(Soak.Check::what).toList());
    }

    @Test
    void heapAfterGcGrowingPastItsBoundFails() {
        // 17.5 MiB in the first window, 37.5 in the last: past 17.5 + max(25 %, 16 MiB)
        Soak soak = run(6, n -> new Footprint(200 * MIB, 40, (10 + 5L * n) * MIB), n -> 0L, n -> 5L);

        assertFalse(soak.passed());
        assertEquals(List.of("heap after GC MiB"), failed(soak));
    }

    @Test
    void rssMayGrowByItsSlackButNotBeyond() {
        assertTrue(run(6, n -> new Footprint((200 + 6L * n) * MIB, 40, 10 * MIB), n -> 0L, n -> 5L).passed());
        assertEquals(List.of("RSS MiB"), failed(run(6, n -> new Footprint((200 + 20L * n) * MIB, 40, 10 * MIB),
                n -> 0L, n -> 5L)));
    }

    @Test
    void descriptorsThatKeepOpeningFail() {
        assertEquals(List.of("open fds"), failed(run(6, n -> new Footprint(200 * MIB, 40 + 20L * n, 10 * MIB),
                n -> 0L, n -> 5L)));
    }

    @Test
    void aP99ThatCreepsUpFails() {
        assertEquals(List.of("p99 ms"), failed(run(6, n -> new Footprint(200 * MIB, 40, 10 * MIB), n -> 0L,
                n -> 5L * n)));
    }

    @Test
    void errorsThatAppearLateFail() {
        assertEquals(List.of("error rate"), failed(run(6, n -> new Footprint(200 * MIB, 40, 10 * MIB),
                n -> n > 4 ? 50L : 0L, n -> 5L)));
    }

    @Test
    void aSoakThatFailedRequestsFromItsStartFailsThoughNothingGrew() {
        assertEquals(List.of("error rate"), failed(run(6, n -> new Footprint(200 * MIB, 40, 10 * MIB), n -> 100L,
                n -> 5L)));
    }

    @Test
    void aProcessWithoutGcLogHasNoHeapCheck() {
        Soak soak = run(6, n -> new Footprint(20 * MIB, 12, null), n -> 0L, n -> 5L);

        assertTrue(soak.passed());
        assertFalse(soak.checks().stream().anyMatch(c -> c.what().startsWith("heap")));
    }

    @Test
    void anInterruptedRunHasNoVerdictAndTooFewSamplesNoChecks() {
        assertNull(run(3, n -> new Footprint(200 * MIB, 40, 10 * MIB), n -> 0L, n -> 5L).passed());
        assertTrue(run(3, n -> new Footprint(200 * MIB, 40, 10 * MIB), n -> 0L, n -> 5L).checks().isEmpty());
    }

    private static List<String> failed(Soak soak) {
        return soak.checks().stream().filter(c -> !c.passed()).map(Soak.Check::what).toList();
    }

    /** {@code samples} of 10,000 requests each, of a planned 6, with one instance "b-1". */
    private static Soak run(int samples, java.util.function.IntFunction<Footprint> footprint,
                            java.util.function.IntFunction<Long> failed, java.util.function.IntFunction<Long> p99Ms) {
        List<LevelMeasurement> measured = new ArrayList<>();
        List<Map<String, Footprint>> footprints = new ArrayList<>();
        for (int n = 1; n <= samples; n++) {
            Histogram histogram = new Histogram(Latency.SIGNIFICANT_DIGITS);
            long ko = failed.apply(n);
            histogram.recordValueWithCount(p99Ms.apply(n) * 1000, 10_000 - ko);
            measured.add(new LevelMeasurement(n, 100, n * 60_000L, n * 60_000L + 60_000, 1000,
                    new Counts(10_000 - ko, ko), 10_000 - ko, Map.of("work", Latency.of(histogram)), Map.of(), 1));
            footprints.add(Map.of("b-1", footprint.apply(n)));
        }
        return Soak.of(new Soak.Settings("ri2-peak", "work", 1, 0.2, 1000, 10, 1000, "--capacity", 700, 60, WINDOW, 6),
                measured, footprints);
    }
}
