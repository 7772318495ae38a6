package dev.peak.driver.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.DoublePredicate;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.peak.driver.results.StaircaseRun;

/** The staircase's search, against systems whose capacity the test knows. */
class RateSearchTest {

    private static final double NO_CEILING = 1e9;

    /** Runs the search against a system that passes every rate {@code passes} accepts; the levels it asked for. */
    private static List<RateSearch.Next> run(RateSearch search, DoublePredicate passes) {
        return drive(search, level -> passes.test(level.rate()) ? RateSearch.Outcome.PASS : RateSearch.Outcome.FAIL);
    }

    /** Runs the search with the given outcomes, one per level in order; the levels it asked for. */
    private static List<RateSearch.Next> replay(RateSearch search, RateSearch.Outcome... outcomes) {
        Iterator<RateSearch.Outcome> answers = List.of(outcomes).iterator();
        return drive(search, level -> answers.next());
    }

    private static List<RateSearch.Next> drive(RateSearch search, Function<RateSearch.Next, RateSearch.Outcome> system) {
        List<RateSearch.Next> levels = new ArrayList<>();
        Optional<RateSearch.Next> next;
        while ((next = search.next()).isPresent()) {
            levels.add(next.get());
            search.record(system.apply(next.get()));
        }
        return levels;
    }

    private static List<String> kinds(List<RateSearch.Next> levels) {
        return levels.stream().map(l -> l.kind().name().toLowerCase() + " " + Math.round(l.rate())).toList();
    }

    @Test
    void theClimbGrowsUntilAFailureRepeatsThenBisects() {
        RateSearch search = new RateSearch(true, 100, 2, 20, true, 2, NO_CEILING);

        List<RateSearch.Next> levels = run(search, rate -> rate <= 700);

        assertEquals(List.of("climb 100", "climb 200", "climb 400", "climb 800", "confirm 800", "refine 600",
                "refine 700"), kinds(levels));
        assertEquals(700, search.maxSustainable());
        assertEquals(StaircaseRun.Stop.FAILED, search.stop());
    }

    @Test
    void aSystemThatRanOutOfCpuIsNotConfirmed() {
        RateSearch search = new RateSearch(true, 100, 2, 20, true, 2, NO_CEILING);

        List<RateSearch.Next> levels = drive(search, level -> level.rate() <= 700 ? RateSearch.Outcome.PASS
                : RateSearch.Outcome.EXHAUSTED);

        assertEquals(List.of("climb 100", "climb 200", "climb 400", "climb 800", "refine 600", "refine 700"),
                kinds(levels));
        assertEquals(700, search.maxSustainable());
    }

    @Test
    void aFailureThatDoesNotRepeatIsAHiccupAndTheClimbGoesOn() {
        RateSearch search = new RateSearch(true, 100, 2, 20, true, 0, NO_CEILING);
        List<Double> answers = new ArrayList<>(List.of(1.0, 0.0, 1.0, 0.0, 0.0));

        List<RateSearch.Next> levels = run(search, rate -> answers.remove(0) > 0);

        assertEquals(List.of("climb 100", "climb 200", "confirm 200", "climb 400", "confirm 400"), kinds(levels));
        assertEquals(200, search.maxSustainable());
    }

    @Test
    void aGeneratorBoundLevelEndsTheSearchWithALowerBound() {
        RateSearch search = new RateSearch(true, 100, 2, 20, true, 2, NO_CEILING);
        search.next();
        search.record(RateSearch.Outcome.PASS);
        search.next();
        search.record(RateSearch.Outcome.GENERATOR_BOUND);

        assertEquals(Optional.empty(), search.next());
        assertEquals(100, search.maxSustainable());
        assertEquals(StaircaseRun.Stop.GENERATOR_BOUND, search.stop());
    }

    @Test
    void aGeneratorThatStalledWithCpuToSpareRunsTheLevelAgainBeforeItEndsTheSearch() {
        RateSearch search = new RateSearch(true, 100, 2, 20, true, 1, NO_CEILING);
        List<RateSearch.Next> levels = replay(search, RateSearch.Outcome.PASS, RateSearch.Outcome.GENERATOR_STALLED,
                RateSearch.Outcome.PASS, RateSearch.Outcome.FAIL, RateSearch.Outcome.FAIL, RateSearch.Outcome.PASS);

        assertEquals(List.of("climb 100", "climb 200", "confirm 200", "climb 400", "confirm 400", "refine 300"),
                kinds(levels));
        assertEquals(300, search.maxSustainable());
        assertEquals(StaircaseRun.Stop.FAILED, search.stop());

        RateSearch stalledTwice = new RateSearch(true, 100, 2, 20, true, 1, NO_CEILING);
        replay(stalledTwice, RateSearch.Outcome.PASS, RateSearch.Outcome.GENERATOR_STALLED,
                RateSearch.Outcome.GENERATOR_STALLED);
        assertEquals(100, stalledTwice.maxSustainable());
        assertEquals(StaircaseRun.Stop.GENERATOR_BOUND, stalledTwice.stop());
    }

    @Test
    void aGeneratorSaturatedWhileConfirmingAFailureLetsTheFailureStand() {
        RateSearch search = new RateSearch(true, 100, 2, 20, true, 1, NO_CEILING);
        // an overloaded system leaves requests in flight: confirming its failure saturates the generator
        List<RateSearch.Next> levels = replay(search, RateSearch.Outcome.PASS, RateSearch.Outcome.FAIL,
                RateSearch.Outcome.GENERATOR_BOUND, RateSearch.Outcome.PASS);

        assertEquals(List.of("climb 100", "climb 200", "confirm 200", "refine 150"), kinds(levels));
        assertEquals(150, search.maxSustainable());
        assertEquals(StaircaseRun.Stop.FAILED, search.stop());
    }

    @Test
    void aGeneratorSaturatedWhileRefiningEndsTheRefiningWithTheFailureItHas() {
        RateSearch search = new RateSearch(true, 100, 2, 20, true, 3, NO_CEILING);
        List<RateSearch.Next> levels = replay(search, RateSearch.Outcome.PASS, RateSearch.Outcome.FAIL,
                RateSearch.Outcome.FAIL, RateSearch.Outcome.GENERATOR_BOUND);

        assertEquals(List.of("climb 100", "climb 200", "confirm 200", "refine 150"), kinds(levels));
        assertEquals(100, search.maxSustainable());
        assertEquals(StaircaseRun.Stop.FAILED, search.stop());
    }

    @Test
    void theGeneratorsCeilingIsClimbedToOnceAndIsALowerBoundIfItPasses() {
        RateSearch search = new RateSearch(true, 100, 2, 20, true, 2, 300);

        List<RateSearch.Next> levels = run(search, rate -> true);

        assertEquals(List.of("climb 100", "climb 200", "climb 300"), kinds(levels));
        assertEquals(StaircaseRun.Stop.CEILING, search.stop());
        assertEquals(300, search.maxSustainable());
    }

    @Test
    void thePlansLastLevelPassingIsALowerBound() {
        RateSearch search = new RateSearch(true, 100, 2, 3, true, 2, NO_CEILING);

        run(search, rate -> true);

        assertEquals(StaircaseRun.Stop.PLAN_END, search.stop());
        assertEquals(400, search.maxSustainable());
    }

    @Test
    void withoutAClimbNothingIsSearched() {
        RateSearch search = new RateSearch(false, 100, 2, 20, true, 2, NO_CEILING);

        assertEquals(Optional.empty(), search.next());
        assertEquals(StaircaseRun.Stop.PLAN_END, search.stop());
    }

    @Test
    void nothingPassingSustainsNothing() {
        RateSearch search = new RateSearch(true, 100, 2, 20, true, 1, NO_CEILING);

        run(search, rate -> false);

        assertNull(search.maxSustainable());
        assertEquals(StaircaseRun.Stop.FAILED, search.stop());
    }
}
