package dev.peak.driver.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import dev.peak.driver.results.Overload.OverloadSecond;
import dev.peak.measurement.Counts;
import dev.peak.measurement.Latency;
import dev.peak.measurement.LevelMeasurement;

class OverloadTest {

    private static final int END = 15;

    @Test
    void recoveryIsTheFirstOfTwoNormalSecondsAfterTheOverload() {
        List<OverloadSecond> timeline = List.of(second(14, 100, 900, 0, 2000), second(15, 50, 0, 10, 4000),
                second(16, 100, 0, 0, 3.0), second(17, 100, 0, 0, 2.5), second(18, 100, 0, 0, 2.4));

        assertEquals(1, Overload.recoverySeconds(timeline, END, 1.5));
    }

    @Test
    void oneNormalSecondBetweenBadOnesIsNoRecovery() {
        List<OverloadSecond> timeline = List.of(second(15, 100, 0, 0, 2.0), second(16, 100, 0, 0, 900),
                second(17, 100, 0, 0, 2.0), second(18, 100, 0, 0, 2.0));

        assertEquals(2, Overload.recoverySeconds(timeline, END, 1.5));
    }

    @Test
    void aSecondWithShedOrTimedOutRequestsIsNotNormal() {
        assertEquals(Metrics.NOT_RECOVERED, Overload.recoverySeconds(List.of(second(15, 100, 1, 0, 1.0),
                second(16, 100, 0, 0, 1.0), second(17, 100, 0, 1, 1.0)), END, 1.0));
    }

    @Test
    void theP99BoundIsTwiceTheBaselineOrTwoMillisecondsAboveItWhicheverIsLarger() {
        // baseline 1 ms: 3 ms is within 1 + 2
        assertEquals(0, Overload.recoverySeconds(List.of(second(15, 10, 0, 0, 3.0), second(16, 10, 0, 0, 3.0)), END, 1.0));
        // baseline 10 ms: 20 ms is within 2 ×, 21 ms is not
        assertEquals(Metrics.NOT_RECOVERED, Overload.recoverySeconds(List.of(second(15, 10, 0, 0, 20.0),
                second(16, 10, 0, 0, 21.0)), END, 10.0));
    }

    @Test
    void aSecondThatAnsweredNothingIsNotNormal() {
        assertEquals(Metrics.NOT_RECOVERED, Overload.recoverySeconds(List.of(second(15, 0, 0, 0, 0),
                second(16, 0, 0, 0, 0)), END, 1.0));
    }

    @Test
    void phasesCountShedApartFromTimeoutsAndTimeOnlyTheAnswered() {
        Overload r = Overload.of("ri1-direct", 1, 1.0, 100, 10, 1000, 500, 3000, Map.of("peak.http.max-in-flight", "64"), "work",
                List.of(measured(0, 500, 0, 0, 1)), List.of(measured(1, 1000, 1900, 100, 40), measured(2, 1000, 2000, 0, 40)),
                List.of(measured(3, 500, 0, 0, 1), measured(4, 500, 0, 0, 1)));

        assertEquals(new Overload.Phase(2, 6000, 2000, 3900, 100, r.overload().accepted()), r.overload());
        assertEquals(2000, r.overload().accepted().count(), "shed and timed-out requests are not timed");
        assertEquals(1000, r.overload().goodput());
        assertEquals(0, r.recoveryS());
        assertEquals(List.of(0, 1, 2, 3), r.timeline().stream().map(OverloadSecond::t).toList());
    }

    private static OverloadSecond second(int t, long ok, long shed, long timedOut, double p99Ms) {
        return new OverloadSecond(t, ok, shed, timedOut, p99Ms);
    }

    /** One second's measurement: {@code ok} answered in {@code ms} each, {@code shed} and {@code timedOut} failed. */
    private static LevelMeasurement measured(int level, long ok, long shed, long timedOut, long ms) {
        Histogram histogram = new Histogram(Latency.SIGNIFICANT_DIGITS);
        histogram.recordValueWithCount(ms * 1000, ok);
        return new LevelMeasurement(level, 0, level * 1000L, level * 1000L + 1000, ok / 10,
                new Counts(ok, shed + timedOut, shed), ok, Map.of("work", Latency.of(histogram)), Map.of(), 0.1);
    }
}
