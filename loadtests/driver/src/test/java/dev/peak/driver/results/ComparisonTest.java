package dev.peak.driver.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.peak.driver.results.Figure.Mark;

/** When two runs' figures differ by more than each run's own uncertainty, and what the comparison says otherwise. */
class ComparisonTest {

    private static final double P99_MS = 5;

    /** A's maxima spread 9.5 % over its repeats; B's 5 % higher median is beyond B's spread but not A's. */
    @Test
    void aDifferenceWithinEitherRunsSpreadIsNotFlagged() {
        Comparison c = compare(List.of(staircase(1, 1000, 1050), staircase(2, 1100, 1150)),
                List.of(staircase(1, 1100, 1150), staircase(2, 1110, 1160)));
        Figure max = only(c).maxRps();
        assertEquals(1105.0 / 1050, max.ratio(), 1e-9);
        assertEquals(100.0 / 1050, max.spreadA().share(), 1e-9);
        assertEquals(Mark.WITHIN, max.mark());
        assertEquals(List.of(), only(c).beyondSpread());
    }

    @Test
    void aDifferenceBeyondBothRunsSpreadsIsFlagged() {
        List<StaircaseRun> lower = List.of(staircase(1, 1000, 1050), staircase(2, 1010, 1060));
        List<StaircaseRun> higher = List.of(staircase(1, 1300, 1350), staircase(2, 1310, 1360));
        assertEquals(Mark.HIGHER, only(compare(lower, higher)).maxRps().mark());
        assertEquals(Mark.LOWER, only(compare(higher, lower)).maxRps().mark());
        String table = ComparisonTable.of(compare(lower, higher));
        assertTrue(table.contains("max ▲ beyond spread"), table);
        assertTrue(table.contains("ri1-peak, 1 server, cost 0: max 1005 → 1305, B/A 1.299 ▲; spread A 5.0 % (search "
                + "bracket), B 3.8 % (search bracket)"), table);
    }

    @Test
    void oneRepeatGivesP99NoSpreadToJudgeBy() {
        Comparison c = compare(List.of(staircase(1, 1000, 1100)), List.of(staircase(1, 1000, 1100, 3 * P99_MS)));
        Figure p99 = only(c).p99AtMaxMs();
        assertEquals(3.0, p99.ratio(), 1e-9);
        assertNull(p99.spreadA());
        assertEquals(Mark.NO_SPREAD, p99.mark());
        String table = ComparisonTable.of(c);
        assertTrue(table.contains("3.000?"), table);
        assertTrue(table.contains("? no spread to judge by: one repeat gives none (the full profile runs 3 repeats)"), table);
    }

    @Test
    void repeatsGiveP99ASpread() {
        Comparison c = compare(List.of(staircase(1, 1000, 1100, 4), staircase(2, 1000, 1100, 6)),
                List.of(staircase(1, 1000, 1100, 5), staircase(2, 1000, 1100, 5.5)));
        Figure p99 = only(c).p99AtMaxMs();
        assertEquals(2.0 / 5, p99.spreadA().share(), 1e-9);
        assertEquals(Figure.Spread.REPEATS, p99.spreadA().from());
        assertEquals(Mark.WITHIN, p99.mark());
    }

    @Test
    void aRowInOnlyOneRunSaysSo() {
        List<StaircaseRun> a = List.of(staircase(1, 1000, 1100), staircase("ri1-haproxy", 2, 1, 900, 1000, P99_MS));
        Results b = results(List.of(staircase(1, 1000, 1100)), List.of(),
                List.of(new Skipped("ri1-haproxy", 2, "its budgets add up to more than the system's CPUs")));
        Comparison c = Comparison.of(folder(results(a)), folder(b));
        ComparisonRow onlyA = c.rows().get(1);
        assertTrue(onlyA.inA() && !onlyA.inB());
        assertEquals(Mark.NONE, onlyA.maxRps().mark());
        String table = ComparisonTable.of(c);
        assertTrue(table.contains("only in A (B: its budgets add up to more than the system's CPUs)"), table);
        assertTrue(ComparisonTable.of(Comparison.of(folder(b), folder(results(a)))).contains("only in B"));
    }

    /** One repeat: the search failed 1200 above A's 1000, so A located its maximum within 20 %. */
    @Test
    void theSearchBracketIsTheSpreadOfOneRepeatsMaximum() {
        List<StaircaseRun> a = List.of(staircase(1, 1000, 1200));
        Figure within = only(compare(a, List.of(staircase(1, 1150, 1250)))).maxRps();
        assertEquals(new Figure.Spread(0.2, Figure.Spread.SEARCH_BRACKET), within.spreadA());
        assertEquals(Mark.WITHIN, within.mark());
        assertEquals(Mark.WITHIN, only(compare(a, List.of(staircase(1, 1200, 1300)))).maxRps().mark(),
                "B's maximum at the rate A failed is A's bracket exactly, not beyond it");
        assertEquals(Mark.HIGHER, only(compare(a, List.of(staircase(1, 1250, 1300)))).maxRps().mark());
    }

    /** Both repeats stopped at the same level: they spread 0, yet locate the maximum no finer than the search did. */
    @Test
    void theMaximumsSpreadIsNeverFinerThanTheSearchBracket() {
        Comparison c = compare(List.of(staircase(1, 1000, 1200), staircase(2, 1000, 1200)),
                List.of(staircase(1, 1100, 1300), staircase(2, 1100, 1300)));
        Figure max = only(c).maxRps();
        assertEquals(new Figure.Spread(0.2, Figure.Spread.SEARCH_BRACKET), max.spreadA());
        assertEquals(Mark.WITHIN, max.mark());
    }

    @Test
    void searchBracketLeavesOutLevelsTheGeneratorFailedAndEnforcementChecks() {
        List<Level> levels = new ArrayList<>(staircase(1, 1000, 1600).levels());
        levels.add(level(levels.size() + 1, "climb", 1100, Verdict.GENERATOR_BOUND, P99_MS));
        levels.add(level(levels.size() + 1, Level.CHECK, 1200, Verdict.LATENCY, 200));
        levels.add(level(levels.size() + 1, "refine", 1400, Verdict.LATENCY, 200));
        StaircaseRun run = new StaircaseRun("ri1-peak", 1, 0, 1, Map.of(), levels, 1000.0, StaircaseRun.Stop.FAILED, null, Map.of(), null, null);
        assertEquals(0.4, Comparison.searchBracket(run).orElseThrow(), 1e-9);
    }

    /** Nothing failed above a maximum the generator or the plan ended: it may lie anywhere higher. */
    @Test
    void aLowerBoundHasNoSpreadToJudgeBy() {
        StaircaseRun bound = new StaircaseRun("ri1-peak", 1, 0, 1, Map.of(), List.of(level(1, "climb", 1000, Verdict.PASS, P99_MS),
                level(2, "climb", 1600, Verdict.GENERATOR_BOUND, P99_MS)), 1000.0, StaircaseRun.Stop.GENERATOR_BOUND, null, Map.of(),
                null, null);
        Comparison c = compare(List.of(staircase(1, 500, 600)), List.of(bound));
        assertTrue(only(c).lowerBoundB());
        assertEquals(Mark.NO_SPREAD, only(c).maxRps().mark());
        assertTrue(ComparisonTable.of(c).contains("≥1000"), ComparisonTable.of(c));
    }

    @Test
    void costsCompareAtHalfTheBaselineOrTheHighestShareBelowItBothMeasured() {
        assertEquals(0.5, Comparison.costFraction(breakdowns(0.25, 0.5, 0.75), breakdowns(0.25, 0.5, 0.75), true, true));
        assertEquals(0.25, Comparison.costFraction(breakdowns(0.1, 0.25), breakdowns(0.1, 0.25), true, true));
        assertEquals(0.25, Comparison.costFraction(breakdowns(0.25, 0.5), breakdowns(0.25, 0.75), true, true));
        assertEquals(0.75, Comparison.costFraction(breakdowns(0.75), breakdowns(0.75), true, true));
        assertNull(Comparison.costFraction(breakdowns(0.25), breakdowns(0.5), true, true));
        assertEquals(0.5, Comparison.costFraction(List.of(), breakdowns(0.25, 0.5), false, true));
    }

    @Test
    void theSystemsCpuIsServersAndInfrastructureWithoutTheGenerator() {
        List<Cost> costs = new ArrayList<>();
        for (int repeat = 1; repeat <= 2; repeat++) {
            costs.add(cost(repeat, "service-a", 50 + repeat));
            costs.add(cost(repeat, "proxy", 20));
            costs.add(cost(repeat, "generator", 100));
        }
        Results runs = results(List.of(staircase(1, 1000, 1100), staircase(2, 1000, 1100)), costs, List.of());
        Figure cpu = only(Comparison.of(folder(runs), folder(runs))).systemUs();
        assertEquals(71.5, cpu.a(), 1e-9);
        assertEquals(1.0 / 71.5, cpu.spreadA().share(), 1e-9);
        assertEquals(Mark.WITHIN, cpu.mark());
    }

    @Test
    void oneServerHasNoBalanceToCompare() {
        StaircaseRun two = withJain(staircase("ri1-peak", 2, 1, 1000, 1100, P99_MS), 0.9);
        StaircaseRun twoAgain = withJain(staircase("ri1-peak", 2, 2, 1000, 1100, P99_MS), 0.8);
        StaircaseRun one = withJain(staircase(1, 1000, 1100), 1.0);
        Comparison c = compare(List.of(one, two, twoAgain), List.of(one, two, twoAgain));
        assertNull(c.rows().get(0).lowestJain().a(), "one server");
        assertEquals(0.8, c.rows().get(1).lowestJain().a(), "the lowest over repeats");
    }

    @Test
    void runsOfAnotherProfileMachineOrBudgetsAreWarnedAbout() {
        Manifest m = SampleResults.manifest();
        Manifest other = new Manifest("full", m.commandLine(), m.gitCommit(), m.startedAt(), m.finishedAt(), m.versions(),
                Map.of("cpus", "4", "cpuModel", "Intel Xeon"), Map.of("server", 0.5), m.cpuEnforcement(), m.miniature(),
                m.clientModel(), m.plan(), m.notes(), false);
        List<StaircaseRun> runs = List.of(staircase(1, 1000, 1100));
        Results b = Results.of(other, runs, List.of(), List.of(), List.of(), List.of());
        String warning = String.join("; ", Comparison.of(folder(results(runs)), folder(b)).warnings());
        assertTrue(warning.contains("A and B differ in profile (sample vs full), machine (2 × AMD EPYC (sample) vs "
                + "4 × Intel Xeon), cpuBudgets ("), warning);
        assertEquals(List.of(), Comparison.of(folder(results(runs)), folder(results(runs))).warnings(), "like for like");
    }

    @Test
    void aPartialRunIsWarnedAbout() {
        Results runs = results(List.of(staircase(1, 1000, 1100)));
        List<String> warnings = Comparison.of(folder(runs), new SavedRun(Path.of("b"), runs, true)).warnings();
        assertEquals(List.of("B is marked partial: its bench stopped before its plan ended"), warnings);
    }

    // ---- test data: staircases that climb to a maximum and fail above it -------------------------------------

    private static Comparison compare(List<StaircaseRun> a, List<StaircaseRun> b) {
        return Comparison.of(folder(results(a)), folder(results(b)));
    }

    private static ComparisonRow only(Comparison c) {
        assertEquals(1, c.rows().size(), c.rows().toString());
        return c.rows().get(0);
    }

    private static SavedRun folder(Results results) {
        return new SavedRun(Path.of("results"), results, false);
    }

    private static Results results(List<StaircaseRun> runs) {
        return results(runs, List.of(), List.of());
    }

    private static Results results(List<StaircaseRun> runs, List<Cost> costs, List<Skipped> skipped) {
        return Results.of(SampleResults.manifest(), runs, costs, List.of(), skipped, List.of());
    }

    private static StaircaseRun staircase(int repeat, double max, double failsAt) {
        return staircase(repeat, max, failsAt, P99_MS);
    }

    private static StaircaseRun staircase(int repeat, double max, double failsAt, double p99AtMax) {
        return staircase("ri1-peak", 1, repeat, max, failsAt, p99AtMax);
    }

    /** Passes half its maximum and the maximum (p99 {@code p99AtMax} there), fails at {@code failsAt}. */
    private static StaircaseRun staircase(String variant, int servers, int repeat, double max, double failsAt, double p99AtMax) {
        List<Level> levels = List.of(level(1, "climb", max / 2, Verdict.PASS, 1), level(2, "climb", failsAt, Verdict.LATENCY, 200),
                level(3, "refine", max, Verdict.PASS, p99AtMax));
        return new StaircaseRun(variant, servers, 0, repeat, Map.of(), levels, max, StaircaseRun.Stop.FAILED, null, Map.of(), null, null);
    }

    private static Level level(int index, String kind, double rate, Verdict verdict, double p99Ms) {
        long ok = Math.round(rate * 2);
        return new Level(index, kind, null, rate, rate, ok, 0, 0, ok / 10, new Percentiles(ok, 1, 2, 3, p99Ms, p99Ms),
                verdict, Verdict.PASS.equals(verdict), 0.3, 0, null, List.of(), Map.of(), Map.of());
    }

    private static StaircaseRun withJain(StaircaseRun run, double jain) {
        BalanceIndex balance = new BalanceIndex(jain, 0, Map.of("a-1", 1L, "a-2", 1L));
        return new StaircaseRun(run.variant(), run.servers(), run.cost(), run.repeat(), run.budgets(), run.levels(),
                run.maxSustainableRps(), run.stop(), balance, run.calls(), null, null);
    }

    private static List<CostBreakdown> breakdowns(double... fractions) {
        List<CostBreakdown> rows = new ArrayList<>();
        for (double f : fractions) {
            rows.add(new CostBreakdown("ri1-peak", 1, 0, f, 1000 * f, Map.of(), 60, 10, 90, 10.0 / 60));
        }
        return rows;
    }

    private static Cost cost(int repeat, String role, double us) {
        return new Cost("ri1-peak", 1, 0, repeat, 4, Level.FIXED, 0.5, 500, 500, role, 1, us, 0, 0);
    }
}
