package dev.peak.driver.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SummariesTest {

    @Test
    void capacityIsTheMedianOverRepeatsPerVariantCostAndServerCount() {
        List<Capacity> c = Summaries.capacities(List.of(run("ri1-peak", 1, 0, 1, 800), run("ri1-peak", 1, 0, 2, 760),
                run("ri1-peak", 1, 0, 3, 840), run("ri1-peak", 2, 0, 1, 1500), run("ri1-peak", 1, 1000, 1, 300)));
        assertEquals(3, c.size());
        Capacity one = c.get(0);
        assertEquals(List.of(0, 1, 0), List.of(one.cost(), one.servers(), 0));
        assertEquals(800, one.maxRps());
        assertEquals(0.1, one.spread(), 1e-9);
        assertEquals(3, one.repeats());
        assertEquals(1000, c.get(2).cost());
    }

    @Test
    void aRepeatWithoutAPassingLevelCountsAsZero() {
        StaircaseRun failed = new StaircaseRun("ri1-nginx", 1, 0, 2, Map.of(), List.of(level(500, Verdict.ERRORS)), null, StaircaseRun.Stop.FAILED, null, null, null, null);
        assertEquals(400, Summaries.capacities(List.of(run("ri1-nginx", 1, 0, 1, 800), failed)).get(0).maxRps(), 1e-9);
    }

    @Test
    void aMaximumIsALowerBoundWhenSomethingElseThanTheSystemStoppedTheSearch() {
        StaircaseRun bound = new StaircaseRun("ri1-peak", 2, 0, 1, Map.of(), List.of(level(500, Verdict.PASS), level(1000, Verdict.GENERATOR_BOUND)),
                500.0, StaircaseRun.Stop.GENERATOR_BOUND, null, null, null, null);
        Capacity c = Summaries.capacities(List.of(bound, run("ri1-peak", 2, 0, 2, 500))).get(0);
        assertTrue(c.lowerBound());
        assertEquals("generator-bound, failed", c.stoppedBy());
    }

    @Test
    void scalingComparesTheLargestWithTheSmallestServerCountPerCost() {
        List<Scaling> s = Summaries.scaling(List.of(run("ri1-direct", 1, 0, 1, 1000), run("ri1-direct", 4, 0, 1, 3000),
                run("ri1-direct", 1, 1000, 1, 400)));
        assertEquals(1, s.size(), "one server count at cost 1000: no scaling there");
        assertEquals(0.75, s.get(0).efficiency(), 1e-9);
        assertEquals(3.0, s.get(0).gain(), 1e-9);
    }

    @Test
    void latencyAddedIsEachVariantsTransactionAgainstTheBaselinesAtTheSameFixedRate() {
        StaircaseRun direct = fixedRun("ri1-direct", 1.0, 3.0);
        StaircaseRun haproxy = fixedRun("ri1-haproxy", 1.4, 5.5);
        List<LatencyAdded> rows = Summaries.latencyAdded(List.of(haproxy, direct));
        assertEquals(List.of("ri1-direct", "ri1-haproxy"), rows.stream().map(LatencyAdded::variant).toList());
        LatencyAdded proxy = rows.get(1);
        assertEquals(0.5, proxy.fraction());
        assertEquals(0.4, proxy.addedP50Ms(), 1e-9);
        assertEquals(2.5, proxy.addedP99Ms(), 1e-9);
        assertEquals(0.0, rows.get(0).addedP99Ms(), 1e-9);
    }

    @Test
    void costBreakdownsSplitServersInfrastructureAndGeneratorAndTaxTheRatio() {
        List<Cost> costs = List.of(cost("ri1-haproxy", "service-a", 100), cost("ri1-haproxy", "proxy", 25),
                cost("ri1-haproxy", "generator", 90), cost("ri1-peak", "service-a", 110), cost("ri1-peak", "peak-dns", 1),
                cost("ri1-peak", "generator", 95));
        List<CostBreakdown> rows = Summaries.costBreakdowns(costs);
        assertEquals(List.of("ri1-peak", "ri1-haproxy"), rows.stream().map(CostBreakdown::variant).toList());
        CostBreakdown proxy = rows.get(1);
        assertEquals(100, proxy.serversUs());
        assertEquals(25, proxy.infrastructureUs());
        assertEquals(90, proxy.generatorUs());
        assertEquals(0.25, proxy.tax());
    }

    @Test
    void variantsComeInTheSuitesOrderUnknownOnesLast() {
        List<Capacity> c = Summaries.capacities(List.of(run("ri2-mesh", 1, 0, 1, 100), run("zz-extra", 1, 0, 1, 1),
                run("ri1-peak", 1, 0, 1, 100), run("ri1-direct", 1, 0, 1, 100)));
        assertEquals(List.of("ri1-direct", "ri1-peak", "ri2-mesh", "zz-extra"), c.stream().map(Capacity::variant).toList());
    }

    /** A climb 100, 200, … up to {@code max}, then a level over the SLO. */
    private static StaircaseRun run(String variant, int servers, int cost, int repeat, double max) {
        List<Level> levels = new ArrayList<>();
        for (double rate = 100; rate <= max; rate += 100) {
            levels.add(level(rate, Verdict.PASS));
        }
        levels.add(level(max + 100, Verdict.LATENCY));
        return new StaircaseRun(variant, servers, cost, repeat, Map.of(), levels, max, StaircaseRun.Stop.FAILED, null, null, null, null);
    }

    private static StaircaseRun fixedRun(String variant, double p50, double p99) {
        Percentiles transaction = new Percentiles(1000, p50, p50 * 2, p99 * 0.8, p99, p99 * 2);
        Level fixed = new Level(1, Level.FIXED, 0.5, 500, 500, 2000, 0, 0, 200, transaction, Verdict.PASS, true, 0.1, 0, null,
                List.of(), Map.of("transaction", transaction), Map.of());
        return new StaircaseRun(variant, 1, 0, 1, Map.of(), List.of(fixed), 500.0, StaircaseRun.Stop.FAILED, null, null, null, null);
    }

    private static Level level(double rate, Verdict verdict) {
        return new Level(1, "climb", null, rate, rate, (long) rate * 4, 0, 0, (long) rate / 10,
                new Percentiles(1, 1, 2, 3, rate / 100, 9), verdict, Verdict.PASS.equals(verdict), 0.2, 0, null, List.of(),
                Map.of(), Map.of());
    }

    private static Cost cost(String variant, String role, double us) {
        return new Cost(variant, 1, 0, 1, 2, Level.FIXED, 0.5, 500, 500, role, 1, us, 0, 0);
    }

    @Test
    void highestPassingLeavesOutTheEnforcementCheck() {
        Level check = new Level(9, Level.CHECK, 0.5, 5000, 5000, 1, 0, 0, 1, Percentiles.EMPTY, Verdict.PASS, true, 0, 0, null,
                List.of(), Map.of(), Map.of());
        StaircaseRun run = new StaircaseRun("ri1-direct", 1, 0, 1, Map.of(), List.of(level(100, Verdict.PASS), check), 100.0, StaircaseRun.Stop.FAILED, null,
                null, null, null);
        assertEquals(100, Summaries.highestPassing(run).orElseThrow().rate());
        assertNull(Summaries.highestPassing(new StaircaseRun("x", 1, 0, 1, Map.of(), List.of(), null, StaircaseRun.Stop.FAILED, null, null, null, null))
                .orElse(null));
    }
}
