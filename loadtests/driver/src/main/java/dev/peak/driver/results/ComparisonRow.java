package dev.peak.driver.results;

import java.util.List;

/**
 * One variant at one server count and cost in two runs: each figure of A and B.
 *
 * @param inA            whether run A measured this staircase; {@code missingWhy} says why not, when its plan said
 * @param lowerBoundA    whether A's maximum is only a lower bound (the generator or the plan ended the search)
 * @param maxRps         maximum sustainable throughput (primary requests/s), median over repeats
 * @param p99AtMaxMs     the primary call's p99 at that maximum, median over repeats
 * @param costFraction   the fixed rate {@code systemUs} is compared at, as the share of each run's own baseline
 *                       capacity; null when the two runs measured no fixed rate in common
 * @param systemUs       CPU µs per primary request of the whole system (servers and infrastructure, not the
 *                       generator) at {@code costFraction}
 * @param lowestJain     the lowest Jain index over repeats; not measured with one server (nothing to balance)
 */
public record ComparisonRow(String variant, int servers, int cost, boolean inA, boolean inB, String missingWhy,
                            Figure maxRps, boolean lowerBoundA, boolean lowerBoundB, Figure p99AtMaxMs,
                            Double costFraction, Figure systemUs, Figure lowestJain) {

    /** The figures by their names in the table. */
    List<NamedFigure> figures() {
        return List.of(new NamedFigure("max", maxRps), new NamedFigure("p99", p99AtMaxMs), new NamedFigure("CPU", systemUs),
                new NamedFigure("Jain", lowestJain));
    }

    /** The figures whose difference goes beyond both runs' spreads. */
    List<NamedFigure> beyondSpread() {
        return figures().stream().filter(f -> f.figure().mark() == Figure.Mark.HIGHER
                || f.figure().mark() == Figure.Mark.LOWER).toList();
    }

    boolean inBoth() {
        return inA && inB;
    }

    record NamedFigure(String name, Figure figure) {
    }
}
