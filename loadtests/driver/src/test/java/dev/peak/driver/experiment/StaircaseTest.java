package dev.peak.driver.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.peak.driver.cpu.CpuBudgets;
import dev.peak.driver.cpu.CpuEnforcement;
import dev.peak.driver.results.Cost;
import dev.peak.driver.results.Level;
import dev.peak.driver.results.StaircaseRun;
import dev.peak.driver.results.Verdict;
import dev.peak.driver.variant.Variant;

/** One staircase against a simulated system: the search, the verdicts, the costs, the warm-up, the drains. */
class StaircaseTest {

    private static final CpuEnforcement ENFORCEMENT = new CpuEnforcement(Duration.ofMillis(100), 1.0);
    private final SimulatedLab lab = new SimulatedLab();
    private final ExperimentOptions options = options(Duration.ofSeconds(60));
    private final Progress progress = new Progress(new PrintStream(PrintStream.nullOutputStream()), 1, false);

    /** Quick's shape, its first rate pinned at 300 (1500 per CPU × 0.2), which the sequences below assume. */
    private static ExperimentOptions options(Duration warmUp) {
        Profile profile = new Profile("test", List.of(1), List.of(1000), 1, warmUp, 40_000, Duration.ofSeconds(1),
                Duration.ofSeconds(4), Profile.QUICK.fixedFractions(), List.of(), true, 1500, 1.6, 14, 1, true, 2,
                Duration.ofSeconds(10), false);
        return new ExperimentOptions(profile, List.of(Variant.RI1_DIRECT), 10, 0.01, 100, false, 0.5, CpuBudgets.DEFAULT,
                ENFORCEMENT, false, Path.of("."), Path.of("results/x"), "test");
    }

    private Staircase.Result measure(Variant variant, Double baseline) throws Exception {
        return measure(variant, baseline, false);
    }

    private Staircase.Result measure(Variant variant, Double baseline, boolean serversWarm) throws Exception {
        return measure(options, variant, baseline, serversWarm);
    }

    private Staircase.Result measure(ExperimentOptions options, Variant variant, Double baseline, boolean serversWarm)
            throws Exception {
        Staircase staircase = new Staircase(options, lab, variant, CpuBudgets.DEFAULT, 1, 1000, 1, baseline, serversWarm,
                progress, soFar -> { });
        try (SharedGenerator generator = new SharedGenerator(lab, lab, Path.of("results/x/staircase"),
                staircase.ceiling())) {
            return staircase.measure(generator);
        }
    }

    private static List<Level> levels(Staircase.Result result, String kind) {
        return result.run().levels().stream().filter(l -> l.kind().equals(kind)).toList();
    }

    @Test
    void theBaselineFindsItsCapacityThenItsFixedFractionsThenTheEnforcementCheck() throws Exception {
        Staircase.Result result = measure(Variant.RI1_DIRECT, null);

        double max = result.run().maxSustainableRps();
        assertTrue(max <= 1000 && max >= 800, "within the refined step below the capacity: " + max);
        assertEquals(StaircaseRun.Stop.FAILED, result.run().stop());
        assertEquals(List.of(0.1, 0.25, 0.5, 0.75), levels(result, Level.FIXED).stream().map(Level::fraction).toList(),
                "every fraction any variant is measured at: RI1's and RI2's");
        assertEquals(Math.round(0.5 * max), levels(result, Level.FIXED).get(2).rate());
        assertEquals(2 * Staircase.CHECK_PAIRS, result.checks().size());
        for (int i = 0; i < result.checks().size(); i += 2) {
            assertEquals(CpuEnforcement.KERNEL_DEFAULT.describe(), result.checks().get(i).enforcement());
            assertEquals(ENFORCEMENT.describe(), result.checks().get(i + 1).enforcement(), "alternating");
        }
        assertEquals("restore " + ENFORCEMENT.describe(), lab.events.get(lab.events.size() - 1),
                "the budgets are back as measured after the check");
    }

    @Test
    void theFixedRatesFollowASecondLiftedSpellAfterTheSearchsOverloads() throws Exception {
        measure(Variant.RI1_PEAK, 1200.0);

        int lastLift = lab.events.lastIndexOf("lift");
        int restore = lab.events.lastIndexOf("restore " + ENFORCEMENT.describe());
        assertTrue(lab.events.subList(0, lastLift).contains("idle"), "lifted again after the search's drains");
        assertEquals("level 749", lab.events.get(lastLift + 1), "lifted at the highest fixed rate it sustains: 900,"
                + " capped at 3/4 of its own 999");
        assertEquals(List.of("level 749", "level 300", "level 600", "level 900"),
                lab.events.subList(restore + 1, lab.events.size()), "then one step there, then the fixed rates");
    }

    @Test
    void ri2VariantsAreMeasuredAtLowerFractionsThanRi1s() throws Exception {
        Staircase.Result result = measure(Variant.RI2_PEAK, 2000.0);

        assertEquals(List.of(200.0, 500.0), levels(result, Level.FIXED).stream().map(Level::rate).toList());
    }

    @Test
    void otherVariantsRunTheFixedFractionsOfTheBaselinesCapacityAfterTheirOwnSearch() throws Exception {
        Staircase.Result result = measure(Variant.RI1_PEAK, 1200.0);

        List<Level> all = result.run().levels();
        assertEquals(List.of(300.0, 600.0, 900.0), all.subList(all.size() - 3, all.size()).stream().map(Level::rate).toList(),
                "after the search, as the baseline's: both find their servers as warm");
        assertEquals(List.of(Level.FIXED, Level.FIXED, Level.FIXED), all.subList(all.size() - 3, all.size()).stream()
                .map(Level::kind).toList());
        assertEquals("climb", all.get(0).kind());
        assertTrue(result.run().maxSustainableRps() >= 800);
        assertTrue(result.checks().isEmpty(), "only the baseline runs the enforcement check");
    }

    @Test
    void theWarmUpClimbsWithTheBudgetsLiftedHoldingBelowWhatFailedUntilItServedItsRequests() throws Exception {
        lab.capacity = 4000;

        measure(Variant.RI1_DIRECT, null);

        // quick: 2-s steps from the first level's rate (300) towards 40 000 per CPU x 0.2 CPU; the system sustains
        // 4000; 60 000 requests
        List<String> expected = List.of("warm dns", "level 300", "level 450", "level 675", "level 1013", "level 1520",
                "level 2280", "level 3420", "level 5130", "idle", "level 2800", "level 4200", "idle", "level 2800",
                "level 3780", "level 3780");
        assertEquals(expected, climb(), "unmeasured: climbing, held below 0.9 of what failed");
        assertEquals(3, tail(), "then the shortest tail (6 s) at the first level's rate, the system settled"
                + " throughout");
    }

    /** Measured: RI2 PEAK's climb, given at most 60 s, took 119, and the quick profile ran past its 20 minutes. */
    @Test
    void theWarmUpsClimbEndsOnTheClockWhenItsStepsOutlastTheirLength() throws Exception {
        lab.liftedLevelMillis = 4000;

        measure(options(Duration.ofSeconds(4)), Variant.RI1_DIRECT, null, false);

        assertEquals(List.of("warm dns", "level 300"), climb(), "one step of 4 s used the 4 s; the nominal count "
                + "(2 s a step) would have taken two");
    }

    @Test
    void aWarmUpStepTheSystemDoesNotKeepUpWithIsFollowedByAPauseAndALowerStep() throws Exception {
        lab.capacity = 400;

        measure(Variant.RI1_DIRECT, null);

        assertEquals(List.of("level 300", "level 450", "idle", "level 300", "level 405", "idle", "level 300"),
                climb().subList(1, 8), "450 failed: a second's pause, then 0.7 of the 400 it achieved but not below the"
                        + " first level's rate, then at most 0.9 of 450, which failed too");
    }

    @Test
    void newServersGetTheirDnsWarmedFirstSinceItsClientsAskItOncePerSession() throws Exception {
        measure(Variant.RI1_PEAK, 1200.0);

        assertEquals("warm dns", climb().get(0), "with the budgets lifted, before the climb");
    }

    @Test
    void warmServersKeepTheirWarmDns() throws Exception {
        measure(Variant.RI1_PEAK, 1200.0, true);

        assertFalse(lab.events.contains("warm dns"), lab.events.toString());
    }

    @Test
    void anotherCostOnTheSameServersReusesTheWarmGeneratorAndOnlySettles() throws Exception {
        Staircase first = new Staircase(options, lab, Variant.RI1_DIRECT, CpuBudgets.DEFAULT, 1, 0, 1, null, false,
                progress, soFar -> { });
        Staircase second = new Staircase(options, lab, Variant.RI1_DIRECT, CpuBudgets.DEFAULT, 1, 1000, 1, null, true,
                progress, soFar -> { });
        try (SharedGenerator generator = new SharedGenerator(lab, lab, Path.of("results/x/staircase"),
                Math.max(first.ceiling(), second.ceiling()))) {
            List<Level> firstLevels = first.measure(generator).run().levels();
            int before = lab.events.size();

            List<Level> secondLevels = second.measure(generator).run().levels();
            assertTrue(secondLevels.stream().noneMatch(l -> l.kind().equals(Level.CHECK)),
                    "the enforcement check runs on the first cost only");

            List<String> after = lab.events.subList(before, lab.events.size());
            assertEquals(List.of("cost 1000", "lift", "level 300", "restore " + ENFORCEMENT.describe()),
                    after.subList(0, 4), "told the new cost, no climb: one lifted step (the compilers cannot be seen"
                            + " here), then the tail that settles at the first rate");
            assertEquals(1, lab.events.stream().filter(e -> e.startsWith("start generator")).count());
            assertTrue(secondLevels.get(0).index() > firstLevels.get(firstLevels.size() - 1).index(),
                    "a generator measures each level index once");
        }
    }

    @Test
    void theWarmUpsTailLastsUntilTheSystemIsNoLongerStoppedByItsQuota() throws Exception {
        lab.capacity = 4000;
        // the climb takes 15 levels; the compilers, unseen, run through 6 tail levels, stopping the server; 3 more
        // are calm
        lab.compilingLevels = 21;
        lab.compilingSteadily = true;

        measure(Variant.RI1_DIRECT, null);

        assertEquals(9, tail());
    }

    @Test
    void theBudgetsStayLiftedUntilTheCompilersAreQuiet() throws Exception {
        lab.capacity = 4000;
        // the climb serves its requests in 15 levels; the compilers, seen this time, use more than 2 % of a CPU
        // until level 22
        lab.compilingLevels = 22;
        lab.compilersVisible = true;

        measure(Variant.RI1_DIRECT, null);

        assertTrue(climb().size() - 1 >= 23, "lifted until the first quiet level: " + climb());
        assertEquals(3, tail(), "nothing left to compile under the budgets: the shortest tail");
    }

    @Test
    void theWarmUpsTailLastsUntilTheSystemsCpuPerRequestIsSteady() throws Exception {
        lab.capacity = 4000;
        // as above, the compilers' share falling; the server is not stopped while it falls
        lab.compilingLevels = 21;
        lab.compilingThrottled = 0;

        measure(Variant.RI1_DIRECT, null);

        assertEquals(9, tail());
    }

    /** The levels run with the budgets lifted. */
    private List<String> climb() {
        int lift = lab.events.indexOf("lift");
        int restore = lab.events.indexOf("restore " + ENFORCEMENT.describe());
        assertTrue(lift >= 0 && restore > lift, lab.events.toString());
        return lab.events.subList(lift + 1, restore);
    }

    /** The levels at the first level's rate (300) right after the budgets came back, the first measured one not counted. */
    private int tail() {
        int n = -1;
        for (int i = lab.events.indexOf("restore " + ENFORCEMENT.describe()) + 1; lab.events.get(i).equals("level 300"); i++) {
            n++;
        }
        return n;
    }

    @Test
    void costsAreEachComponentsCpuPerPrimaryRequest() throws Exception {
        Staircase.Result result = measure(Variant.RI1_PEAK, 1200.0);

        Cost server = result.costs().stream().filter(c -> c.role().equals("service-a") && Level.FIXED.equals(c.kind()))
                .findFirst().orElseThrow();
        assertEquals(300, server.offeredRps());
        Cost generator = result.costs().stream().filter(c -> c.role().equals("generator") && c.level() == server.level())
                .findFirst().orElseThrow();
        assertEquals(200, server.cpuUsPerRequest(), 1);
        assertEquals(100, generator.cpuUsPerRequest(), 1);
        assertEquals(0.25, server.fraction());
        assertEquals(1, server.instances());
    }

    @Test
    void aSaturatedGeneratorEndsTheStaircaseWithALowerBoundNeverASystemFailure() throws Exception {
        lab.generatorCpu = 0.95;

        Staircase.Result result = measure(Variant.RI1_PEAK, 1200.0);

        assertEquals(Verdict.GENERATOR_BOUND, result.run().levels().get(0).verdict());
        assertEquals(StaircaseRun.Stop.GENERATOR_BOUND, result.run().stop());
        assertTrue(result.run().lowerBound());
    }

    @Test
    void sessionsFarBelowTheirPoissonRangeMeanTheGeneratorFellShort() throws Exception {
        lab.sessionsShare = 0.5;

        assertEquals(Verdict.GENERATOR_BOUND, measure(Variant.RI1_PEAK, 1200.0).run().levels().get(0).verdict());
    }

    @Test
    void aLevelWhoseServerWasStoppedByItsQuotaForMoreThanOnePercentIsFlagged() throws Exception {
        lab.throttledShare = 0.05;

        Level level = measure(Variant.RI1_PEAK, 1200.0).run().levels().get(0);

        assertTrue(level.throttled());
        assertEquals("a-1", level.mostThrottled());
        assertEquals(0.05, level.throttledShare(), 1e-3);
    }

    @Test
    void aLevelWhoseServerWasStoppedByItsQuotaForMoreThanAQuarterOfItFailsWhateverItsP99() throws Exception {
        lab.throttledShare = 0.3;

        Level level = measure(Variant.RI1_PEAK, 1200.0).run().levels().get(0);

        assertEquals(Verdict.QUOTA, level.verdict());
        assertTrue(level.primary().p99Ms() < options.sloMs(), "within the SLO");
        assertFalse(lab.events.contains("level 480"), "no hiccup: not confirmed, and the climb went no higher");
    }

    @Test
    void aLevelThatRanOutOfCpuWhileTheCompilersWorkedIsConfirmedLikeAHiccup() throws Exception {
        lab.compilersVisible = true;
        lab.compilingSteadily = true;
        lab.compilingLevels = 1000;

        List<Level> levels = measure(Variant.RI1_PEAK, 1200.0).run().levels();

        assertEquals(Verdict.QUOTA, levels.get(0).verdict());
        assertTrue(levels.get(0).compiling());
        assertEquals("confirm", levels.get(1).kind());
    }

    @Test
    void aFailedLevelIsFollowedByIdleSecondsUntilTheServersHaveWorkedOffItsBacklog() throws Exception {
        lab.backlogSeconds = 3;

        measure(Variant.RI1_PEAK, 1200.0);

        // the climb from 300 at 1.6 times per level: 300, 480, 768, then 1229 fails (capacity 1000)
        int failed = lab.events.indexOf("level 1229");
        assertTrue(failed > 0, lab.events.toString());
        assertEquals(List.of("idle", "idle", "idle", "idle"), lab.events.subList(failed + 1, failed + 5),
                "busy for three seconds, idle in the fourth");
    }
}
