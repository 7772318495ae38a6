package dev.peak.driver.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.peak.driver.lab.CpuBudgets;
import dev.peak.driver.results.Second;
import dev.peak.driver.results.Step;

/** How one measured run becomes a step of the staircase (smoke profile: 3 s steps, k = 10, SLO 100 ms). */
class StepVerdictTest {

    private final ExperimentOptions options = new ExperimentOptions(Profile.SMOKE,
            List.of(BenchVariant.RI1_PEAK), 10, 1000, 0.01, 100, true, 0.5, CpuBudgets.DEFAULT, Path.of("."),
            Path.of("results/x"), "test");
    private final Experiment experiment = new Experiment(options, new LocalPlatform(options), System.out);

    /**
     * 100 rps for 3 s with k = 10: 30 sessions, 300 requests expected; the smoke profile's measured window
     * is seconds 1 to 3, after 1 s of settling, and the completions spread evenly over it.
     */
    private static StepRunner.Outcome outcome(long sessions, long ok, long ko, double p99Ms, double generatorCpu) {
        SimulationResult.Latency latency = new SimulationResult.Latency(ok, 2, 5, p99Ms, p99Ms * 2, 3, null);
        List<Second> perSecond = List.of(new Second(0, 50, 0), new Second(1, ok / 3, ko / 3), new Second(2, ok / 3, ko / 3),
                new Second(3, ok - 2 * (ok / 3), ko - 2 * (ko / 3)), new Second(4, 20, 0));
        SimulationResult result = new SimulationResult("Ri1PeakSimulation", 10, 4, 10, 1000, 0, 4000,
                new SimulationResult.Counts(sessions, 0), new SimulationResult.Counts(ok, ko),
                Map.of("work", latency, "b", latency), perSecond, Map.of("a-1", ok), generatorCpu * 4);
        return new StepRunner.Outcome(result, generatorCpu, null, 0);
    }

    @Test
    void aStepWithinBothLimitsPasses() {
        Step step = experiment.toStep(BenchVariant.RI1_PEAK, 100, outcome(30, 300, 0, 20, 0.3));
        assertTrue(step.passed());
        assertEquals(100.0, step.achievedRps());
    }

    @Test
    void errorsOverTheLimitFailTheStep() {
        assertEquals("errors", experiment.toStep(BenchVariant.RI1_PEAK, 100, outcome(30, 290, 10, 20, 0.3)).verdict());
    }

    @Test
    void aP99OverTheSloFailsTheStep() {
        assertEquals("latency", experiment.toStep(BenchVariant.RI1_PEAK, 100, outcome(30, 300, 0, 150, 0.3)).verdict());
    }

    @Test
    void aSaturatedGeneratorIsNeverTheSystemFailing() {
        Step step = experiment.toStep(BenchVariant.RI1_PEAK, 100, outcome(30, 300, 0, 900, 0.95));
        assertEquals("generator-bound", step.verdict());
        assertTrue(!step.passed());
    }

    @Test
    void sessionsFarBelowTheirPoissonRangeMeanTheGeneratorFellShort() {
        // 30 expected: 12 is more than 3 standard deviations (√30 ≈ 5.5) short; 20 is not
        assertEquals("generator-bound", experiment.toStep(BenchVariant.RI1_PEAK, 100, outcome(12, 120, 0, 20, 0.3)).verdict());
        assertEquals("pass", experiment.toStep(BenchVariant.RI1_PEAK, 100, outcome(20, 200, 0, 20, 0.3)).verdict());
    }

    @Test
    void ri2PeakCountsOnlyTheCallsToBInItsRate() {
        // 30 sessions of one token call and 10 calls to B: 330 requests, 300 of them to B
        Step step = experiment.toStep(BenchVariant.RI2_PEAK, 100, outcome(30, 330, 0, 20, 0.3));
        assertEquals(100.0, step.achievedRps());
    }
}
