package dev.peak.driver.experiment;

import java.util.Optional;

import dev.peak.driver.results.StaircaseRun.Stop;

/**
 * The rate search of one staircase, testable without a lab: fed each level's outcome, it says which rate to
 * measure next, and at the end which rate the system sustained.
 *
 * <ol>
 *   <li><b>Climb</b>: from {@code start}, each rate {@code growth} times the previous, until a level fails, the
 *       generator's ceiling is reached, or {@code maxLevels} levels have run.
 *   <li><b>Confirm</b>: a failing level is run again at the same rate; the failure counts only
 *       if it fails again (one short level on a shared machine can fail on a hiccup). A system that ran out of
 *       CPU is no hiccup: that failure counts at once. A confirming pass means
 *       the search goes on as if the level had passed.
 *   <li><b>Refine</b>: {@code refineSteps} bisections between the highest passing rate and the failure.
 * </ol>
 *
 * A generator-bound climbing level ends the search: the generator, not the system, was the limit, so what the
 * system sustains is only known to be at least the highest passing rate. A generator that fell short with CPU to
 * spare ({@code GENERATOR_STALLED}: it started too few sessions) had a hiccup of its own, and the level runs again
 * first, as a failing one does (measured: one 2-s level of RI1 nginx at 3 servers started 386 sessions where the
 * five before it at the same rate started 439 to 479, with the generator at 0.29 of its CPU, and ended the
 * staircase with no maximum). Once the system has failed, though, a
 * saturated generator proves nothing against that failure: an overloaded system leaves thousands of requests in
 * flight, and they saturate the generator. So a generator-bound confirmation lets the failure stand, and a
 * generator-bound refinement ends the refining with the failure it already has.
 */
final class RateSearch {

    enum Kind { FIXED, CLIMB, CONFIRM, REFINE }

    /**
     * How a level went. {@code EXHAUSTED}: the system ran out of CPU (an instance stopped by its quota for much of
     * the window), a failure no hiccup explains, so it is not confirmed. {@code GENERATOR_BOUND}: the generator ran
     * out of CPU; {@code GENERATOR_STALLED}: it started too few sessions with CPU to spare.
     */
    enum Outcome { PASS, FAIL, EXHAUSTED, GENERATOR_BOUND, GENERATOR_STALLED }

    /**
     * A level to run: its rate, why, and for fixed levels (which the staircase runs after the search) the fraction
     * of the baseline's capacity it stands for.
     */
    record Next(double rate, Kind kind, Double fraction) {
    }

    private final double start;
    private final double growth;
    private final int maxLevels;
    private final boolean confirm;
    private final double ceiling;
    private final boolean climb;
    private int refinesLeft;

    private int levels;
    private Next pending;
    private Double low;
    private Double high;
    private Double lastRate;
    private Double unconfirmed;
    /** Whether the level to confirm was the generator's stall, not the system's failure. */
    private boolean confirmingGenerator;
    private Stop stop;

    /**
     * @param climb   whether to search at all (the smoke profile only runs fixed rates)
     * @param start   the first climbing rate
     * @param ceiling the highest rate the generator can offer
     */
    RateSearch(boolean climb, double start, double growth, int maxLevels, boolean confirm, int refineSteps,
               double ceiling) {
        if (!(growth > 1) && climb) {
            throw new IllegalArgumentException("a climb needs a growth above 1, not " + growth);
        }
        this.climb = climb;
        this.start = start;
        this.growth = growth;
        this.maxLevels = maxLevels;
        this.confirm = confirm;
        this.refinesLeft = refineSteps;
        this.ceiling = ceiling;
    }

    /** The next level to measure, or empty when the search is over. */
    Optional<Next> next() {
        if (pending != null) {
            return Optional.of(pending);
        }
        if (stop != null || levels >= maxLevels) {
            if (stop == null) {
                stop = Stop.PLAN_END;
            }
            return Optional.empty();
        }
        pending = choose();
        return Optional.ofNullable(pending);
    }

    private Next choose() {
        if (unconfirmed != null) {
            return new Next(unconfirmed, Kind.CONFIRM, null);
        }
        if (high != null) {
            double from = low == null ? 0 : low;
            if (refinesLeft > 0 && high - from > 1) {
                refinesLeft--;
                return new Next(Math.round((from + high) / 2), Kind.REFINE, null);
            }
            stop = Stop.FAILED;
            return null;
        }
        if (!climb) {
            stop = Stop.PLAN_END;
            return null;
        }
        double rate = lastRate == null ? start : Math.round(lastRate * growth);
        if (lastRate != null && lastRate >= ceiling) {
            stop = Stop.CEILING;
            return null;
        }
        return new Next(Math.min(rate, ceiling), Kind.CLIMB, null);
    }

    /** The outcome of the level {@link #next()} gave. */
    void record(Outcome outcome) {
        if (pending == null) {
            throw new IllegalStateException("no level was asked for");
        }
        Next level = pending;
        pending = null;
        levels++;
        if (level.kind() != Kind.REFINE && level.kind() != Kind.CONFIRM) {
            lastRate = Math.max(lastRate == null ? 0 : lastRate, level.rate());
        }
        switch (outcome) {
            case GENERATOR_STALLED -> {
                if (level.kind() == Kind.CLIMB && confirm) {
                    unconfirmed = level.rate();
                    confirmingGenerator = true;
                } else {
                    generatorBound(level);
                }
            }
            case GENERATOR_BOUND -> generatorBound(level);
            case PASS -> {
                unconfirmed = null;
                if (high == null || level.rate() < high) {
                    low = Math.max(low == null ? 0 : low, level.rate());
                }
            }
            case EXHAUSTED -> failed(level.rate());
            case FAIL -> {
                if (level.kind() == Kind.REFINE || level.kind() == Kind.CONFIRM || !confirm) {
                    failed(level.rate());
                } else {
                    unconfirmed = level.rate();
                    confirmingGenerator = false;
                }
            }
        }
    }

    private void generatorBound(Next level) {
        if (level.kind() == Kind.CONFIRM && !confirmingGenerator) {
            failed(level.rate());
        } else if (level.kind() == Kind.REFINE) {
            refinesLeft = 0;
        } else {
            unconfirmed = null;
            stop = Stop.GENERATOR_BOUND;
        }
    }

    private void failed(double rate) {
        high = high == null ? rate : Math.min(high, rate);
        unconfirmed = null;
        if (low != null && low >= high) {
            low = null;
        }
    }

    /** The highest rate that passed below any confirmed failure; null if none passed. */
    Double maxSustainable() {
        return low;
    }

    /** Why the search ended; null while it runs. */
    Stop stop() {
        return stop;
    }
}
