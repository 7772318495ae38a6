package dev.peak.driver.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MetricsTest {

    private static final double EPS = 1e-9;

    @Test
    void jainIsOneForEqualCounts() {
        assertEquals(1.0, Metrics.jain(List.of(500L, 500L, 500L, 500L)), EPS);
    }

    @Test
    void jainIsOneOverNWhenOneInstanceTakesAll() {
        assertEquals(0.25, Metrics.jain(List.of(2000L, 0L, 0L, 0L)), EPS);
    }

    @Test
    void jainOfKnownCounts() {
        // (1 + 3)² / (2 · (1 + 9)) = 16 / 20
        assertEquals(0.8, Metrics.jain(List.of(1L, 3L)), EPS);
    }

    @Test
    void jainIsOneForASingleInstance() {
        assertEquals(1.0, Metrics.jain(List.of(7400L)), EPS);
    }

    @Test
    void jainIsOneWhenNothingWasServed() {
        assertEquals(1.0, Metrics.jain(List.of(0L, 0L)), EPS);
        assertEquals(1.0, Metrics.jain(List.of()), EPS);
    }

    @Test
    void coefficientOfVariationIsPopulationStddevOverMean() {
        // mean 5, population standard deviation 2
        assertEquals(0.4, Metrics.coefficientOfVariation(List.of(2L, 4L, 4L, 4L, 5L, 5L, 7L, 9L)), EPS);
    }

    @Test
    void coefficientOfVariationIsZeroForEqualOrNoCounts() {
        assertEquals(0.0, Metrics.coefficientOfVariation(List.of(10L, 10L)), EPS);
        assertEquals(0.0, Metrics.coefficientOfVariation(List.of(0L, 0L)), EPS);
        assertEquals(0.0, Metrics.coefficientOfVariation(List.of()), EPS);
    }

    @Test
    void scalingEfficiencyIsOneForLinearScaling() {
        assertEquals(1.0, Metrics.scalingEfficiency(Map.of(1, 800.0, 2, 1600.0, 4, 3200.0)), EPS);
    }

    @Test
    void scalingEfficiencyComparesTheLargestWithTheSmallestServerCount() {
        // ×1.5 throughput for ×2 servers; the middle count does not matter
        assertEquals(0.75, Metrics.scalingEfficiency(Map.of(4, 1500.0, 2, 1000.0, 3, 5000.0)), EPS);
    }

    @Test
    void scalingEfficiencyIsOneOverNWhenServersAddNothing() {
        assertEquals(0.25, Metrics.scalingEfficiency(Map.of(1, 1000.0, 4, 1000.0)), EPS);
    }

    @Test
    void scalingEfficiencyIsNaNWithoutTwoServerCountsOrABase() {
        assertTrue(Double.isNaN(Metrics.scalingEfficiency(Map.of(2, 1500.0))));
        assertTrue(Double.isNaN(Metrics.scalingEfficiency(Map.of(1, 0.0, 2, 1500.0))));
    }

    @Test
    void verdictFailsWhenTheErrorRateIsOverTheLimit() {
        assertEquals(Verdict.ERRORS, Metrics.verdict(0.02, 0, 0.01, 5, 25, false, false, false));
    }

    @Test
    void failingMostlyByShedRequestsIsSheddingNotErrors() {
        assertEquals(Verdict.SHEDDING, Metrics.verdict(0.30, 0.29, 0.01, 900, 25, false, false, false),
                "shed requests are refused at once: their p99 says nothing about the accepted ones'");
        assertEquals(Verdict.SHEDDING, Metrics.verdict(0.02, 0.01, 0.01, 5, 25, false, false, false), "half is enough");
        assertEquals(Verdict.ERRORS, Metrics.verdict(0.30, 0.10, 0.01, 5, 25, false, false, false),
                "timeouts outnumber the shed requests");
        assertEquals(Verdict.PASS, Metrics.verdict(0.005, 0.005, 0.01, 5, 25, false, false, false),
                "shedding within the error limit passes");
    }

    @Test
    void aLevelRejectsMoreShedThanFailedRequests() {
        assertThrows(IllegalArgumentException.class, () -> new Level(1, "climb", null, 500, 498, 4982, 2, 3, 498,
                Percentiles.EMPTY, Verdict.ERRORS, false, 0.3, 0, null, List.of(), Map.of(), Map.of()));
    }

    @Test
    void verdictFailsWhenP99IsOverTheSlo() {
        assertEquals(Verdict.LATENCY, Metrics.verdict(0.0, 0, 0.01, 25.1, 25, false, false, false));
    }

    @Test
    void verdictPassesAtTheLimits() {
        assertEquals(Verdict.PASS, Metrics.verdict(0.01, 0, 0.01, 25, 25, false, false, false));
    }

    @Test
    void verdictNamesErrorsBeforeLatency() {
        assertEquals(Verdict.ERRORS, Metrics.verdict(0.5, 0, 0.01, 900, 25, false, false, false));
    }

    @Test
    void aSystemThatFellBehindTheOfferedRateFailsEvenWithAGoodP99() {
        assertEquals(Verdict.THROUGHPUT, Metrics.verdict(0.0, 0, 0.01, 5, 25, false, true, false));
        assertEquals(Verdict.LATENCY, Metrics.verdict(0.0, 0, 0.01, 900, 25, false, true, false), "the p99 explains more");
    }

    @Test
    void aSystemThatRanOutOfCpuFailsEvenWithinTheSlo() {
        assertEquals(Verdict.QUOTA, Metrics.verdict(0.0, 0, 0.01, 92, 100, false, false, true));
        assertEquals(Verdict.LATENCY, Metrics.verdict(0.0, 0, 0.01, 180, 100, false, false, true), "the p99 explains more");
    }

    @Test
    void generatorBoundIsNeverCountedAsTheSystemFailing() {
        Verdict verdict = Metrics.verdict(0.5, 0, 0.01, 900, 25, true, false, false);
        assertEquals(Verdict.GENERATOR_BOUND, verdict);
        assertFalse(level(2000, verdict).passed());
    }

    @Test
    void aLevelRejectsPassedThatContradictsItsVerdict() {
        assertThrows(IllegalArgumentException.class, () -> new Level(1, "climb", null, 500, 498, 4982, 0, 0, 498,
                Percentiles.EMPTY, Verdict.LATENCY, true, 0.3, 0, null, List.of(), Map.of(), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Verdict.of("slow"), "results.json names only known verdicts");
    }

    @Test
    void errorWindowSpansFirstToLastFailingSecondInclusive() {
        List<Second> series = List.of(new Second(9, 100, 0), new Second(10, 40, 60), new Second(11, 90, 10),
                new Second(12, 100, 0), new Second(13, 99, 1), new Second(14, 100, 0));
        assertEquals(4.0, Metrics.errorWindowSeconds(series), EPS);
    }

    @Test
    void errorWindowIsZeroWithoutErrors() {
        assertEquals(0.0, Metrics.errorWindowSeconds(List.of(new Second(0, 100, 0), new Second(1, 100, 0))), EPS);
        assertEquals(1.0, Metrics.errorWindowSeconds(List.of(new Second(5, 90, 10))), EPS);
    }

    @Test
    void recoveryIsTheTimeUntilTwoErrorFreeSecondsAverageEightyPercentOfBaseline() {
        // fault at 10; 95 at 12 is a one-second blip (with 50 after it, 72.5 on average); 92 and 91 at 14
        // and 15 are fast enough but still fail a few requests; 16 and 17 are the recovery
        List<Second> series = series(10, 100, 0, 30, 95, 50, 92, 91, 100, 100);
        assertEquals(6.0, Metrics.recoverySeconds(series, 10, 100), EPS);
    }

    @Test
    void clientsThatKeepFailingAreNotRecovered() {
        List<Second> series = new ArrayList<>(series(10, 100));
        for (int t = 10; t < 15; t++) {
            series.add(new Second(t, 90, 10));
        }
        assertEquals(Metrics.NOT_RECOVERED, Metrics.recoverySeconds(series, 10, 100), EPS);
    }

    @Test
    void recoveryIsZeroWhenTheFaultDidNotDentTheOkRate() {
        assertEquals(0.0, Metrics.recoverySeconds(series(10, 100, 100, 100, 100), 10, 100), EPS);
    }

    @Test
    void recoveryIsNotRecoveredWhenTheSeriesEndsFirst() {
        assertEquals(Metrics.NOT_RECOVERED, Metrics.recoverySeconds(series(10, 100, 0, 0, 0, 0), 10, 100), EPS);
        // one good last second cannot confirm a recovery
        assertEquals(Metrics.NOT_RECOVERED, Metrics.recoverySeconds(series(10, 100, 0, 0, 95), 10, 100), EPS);
    }

    @Test
    void recoveryCountsAMissingSecondAsNothingCompleted() {
        List<Second> series = new ArrayList<>(series(10, 100, 95));
        series.add(new Second(12, 95, 0));
        series.add(new Second(13, 95, 0));
        // second 11 is missing, so it counts as 0: the pairs with it average 47.5; 12 and 13 are the recovery
        assertEquals(2.0, Metrics.recoverySeconds(series, 10, 100), EPS);
    }

    @Test
    void baselineIsTheMedianOkRateBeforeTheFaultWithoutTheFirstSecond() {
        List<Second> series = List.of(new Second(0, 20, 0), new Second(1, 100, 0), new Second(2, 104, 0),
                new Second(3, 98, 0), new Second(4, 0, 100));
        assertEquals(100.0, Metrics.baselineRps(series, 4), EPS);
        assertThrows(IllegalArgumentException.class, () -> Metrics.baselineRps(series, 0));
    }

    @Test
    void faultOfMeasuresItsTimeline() {
        List<Second> timeline = series(10, 100, 0, 50, 100, 100);
        FaultResult fault = FaultResult.of("ri1-peak", dev.peak.driver.variant.FaultKind.KILL_SERVER, 2, 1000, 100, 10, timeline);
        assertEquals(1400, fault.requests());
        assertEquals(100 + 50, fault.errors());
        assertEquals(2.0, fault.errorWindowS(), EPS);
        assertEquals(2.0, fault.recoveryS(), EPS);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(2.5, Metrics.median(List.of(4.0, 1.0, 3.0, 2.0)), EPS);
        assertEquals(3.0, Metrics.median(List.of(5.0, 3.0, 1.0)), EPS);
    }

    @Test
    void spreadIsRangeOverMedianAndZeroWithOneRepeat() {
        assertEquals(0.1, Metrics.spread(List.of(950.0, 1000.0, 1050.0)), EPS);
        assertEquals(0.0, Metrics.spread(List.of(1000.0)), EPS);
    }

    private static Level level(double rate, Verdict verdict) {
        return new Level(1, "climb", null, rate, rate, (long) rate * 4, 0, 0, (long) rate / 10, Percentiles.EMPTY, verdict,
                Verdict.PASS.equals(verdict), 0.2, 0, null, List.of(), Map.of(), Map.of());
    }

    /** Seconds 0 .. faultSecond-1 at {@code baseline} ok, then {@code after} ok (with the rest failed). */
    private static List<Second> series(int faultSecond, long baseline, long... after) {
        List<Second> series = new ArrayList<>();
        for (int t = 0; t < faultSecond; t++) {
            series.add(new Second(t, baseline, 0));
        }
        for (int i = 0; i < after.length; i++) {
            series.add(new Second(faultSecond + i, after[i], Math.max(0, baseline - after[i])));
        }
        return series;
    }

}
