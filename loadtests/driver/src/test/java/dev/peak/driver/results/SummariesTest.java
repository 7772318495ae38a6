package dev.peak.driver.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SummariesTest {

    @Test
    void maxThroughputIsTheMedianOverRepeatsPerServerCount() {
        VariantSummary s = Summaries.of(List.of(run("ri1-peak", 1, 1, 800), run("ri1-peak", 1, 2, 760),
                run("ri1-peak", 1, 3, 840), run("ri1-peak", 2, 1, 1500))).get("ri1-peak");
        assertEquals(Map.of("1", 800.0, "2", 1500.0), s.maxRpsByServers());
        assertEquals(0.1, s.maxRpsSpreadByServers().get("1"), 1e-9);
        assertEquals(0.0, s.maxRpsSpreadByServers().get("2"), 1e-9);
        assertEquals(1500.0 / 800 / 2, s.scalingEfficiency(), 1e-9);
    }

    @Test
    void aRepeatWithoutAPassingStepCountsAsZero() {
        Run failed = new Run("ri1-nginx", 1, 2, List.of(step(500, Step.ERRORS)), null, null, null);
        VariantSummary s = Summaries.of(List.of(run("ri1-nginx", 1, 1, 800), failed)).get("ri1-nginx");
        assertEquals(400.0, s.maxRpsByServers().get("1"), 1e-9);
    }

    @Test
    void limitNamesWhatEndedEachStaircase() {
        Run bound = new Run("ri1-peak", 2, 1, List.of(step(500, Step.PASS), step(1000, Step.GENERATOR_BOUND)),
                500.0, null, null);
        Run slow = new Run("ri1-peak", 2, 2, List.of(step(500, Step.PASS), step(1000, Step.LATENCY)),
                500.0, null, null);
        Run open = new Run("ri1-peak", 1, 1, List.of(step(500, Step.PASS)), 500.0, null, null);
        VariantSummary s = Summaries.of(List.of(bound, slow, open)).get("ri1-peak");
        assertEquals("generator-bound, latency", s.limitByServers().get("2"));
        assertEquals("none", s.limitByServers().get("1"));
    }

    @Test
    void p99AtMaxAndMaxRateComeFromTheHighestPassingStep() {
        VariantSummary s = Summaries.of(List.of(run("ri2-peak", 1, 1, 400))).get("ri2-peak");
        assertEquals(4.0, s.p99AtMaxMsByServers().get("1"), 1e-9);
        assertEquals(400.0, s.maxRateByServers().get("1"), 1e-9);
    }

    @Test
    void jainMinIgnoresSingleServerRuns() {
        Run one = new Run("ri1-haproxy", 1, 1, List.of(step(500, Step.PASS)), 500.0, Balance.of(Map.of("a-1", 10L)), null);
        Run two = new Run("ri1-haproxy", 2, 1, List.of(step(500, Step.PASS)), 500.0,
                Balance.of(Map.of("a-1", 1L, "a-2", 3L)), null);
        assertEquals(0.8, Summaries.of(List.of(one, two)).get("ri1-haproxy").jainMin(), 1e-9);
        assertNull(Summaries.of(List.of(one)).get("ri1-haproxy").jainMin());
    }

    @Test
    void efficiencyIsNullWithOneServerCount() {
        assertNull(Summaries.of(List.of(run("ri1-direct", 1, 1, 900))).get("ri1-direct").scalingEfficiency());
    }

    @Test
    void variantsComeInTheReportsOrder() {
        Map<String, VariantSummary> s = Summaries.of(List.of(run("ri2-mesh", 1, 1, 100), run("zz-extra", 1, 1, 1),
                run("ri1-peak", 1, 1, 100), run("ri1-direct", 1, 1, 100)));
        assertEquals(List.of("ri1-direct", "ri1-peak", "ri2-mesh", "zz-extra"), new ArrayList<>(s.keySet()));
    }

    /** A staircase 100, 200, … up to {@code max}, then a step over the SLO. */
    private static Run run(String variant, int servers, int repeat, double max) {
        List<Step> steps = new ArrayList<>();
        for (double rate = 100; rate <= max; rate += 100) {
            steps.add(step(rate, Step.PASS));
        }
        steps.add(step(max + 100, Step.LATENCY));
        return new Run(variant, servers, repeat, steps, max, null, null);
    }

    private static Step step(double rate, String verdict) {
        return new Step(rate, rate, (long) rate * 10, 0, 1, 2, rate / 100, 9, verdict.equals(Step.PASS), verdict,
                0.2, null);
    }
}
