package dev.peak.driver.results;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One figure of two runs side by side, each with its own spread, and whether their difference goes beyond both.
 *
 * @param a       run A's value; null where A has none (the row is not in it, or the figure is not measured)
 * @param b       run B's value, likewise
 * @param spreadA how much A's value itself is uncertain; null when A gives no spread to judge by
 * @param spreadB the same for B
 */
public record Figure(Double a, Double b, Spread spreadA, Spread spreadB) {

    /**
     * How much one run's value is uncertain, relative to it.
     *
     * @param share (max − min) / median over repeats, or the search's bracket (see {@link Comparison})
     * @param from  {@link #REPEATS} or {@link #SEARCH_BRACKET}
     */
    public record Spread(double share, String from) {
        public static final String REPEATS = "repeats";
        public static final String SEARCH_BRACKET = "search bracket";
    }

    /** What the ratio B/A says, against both runs' spreads. */
    public enum Mark {
        /** B above A by more than either run's own spread. */
        HIGHER,
        /** B below A by more than either run's own spread. */
        LOWER,
        /** Within one run's spread or both's: not a difference these runs can tell. */
        WITHIN,
        /** One run or both give no spread to judge by (one repeat, or a maximum that is only a lower bound). */
        NO_SPREAD,
        /** One run has no value: nothing to compare. */
        NONE
    }

    // a ratio that lands exactly on a spread (B's maximum at the very rate where A's search failed) is within it,
    // whatever the last bit of the division
    private static final double TOLERANCE = 1e-9;

    /** Nothing in either run. */
    static final Figure ABSENT = new Figure(null, null, null, null);

    /** B / A; null when either is missing or A is not positive. */
    @JsonProperty
    public Double ratio() {
        return a == null || b == null || a <= 0 ? null : b / a;
    }

    /** A difference counts only when |B/A − 1| exceeds both runs' own spreads. */
    @JsonProperty
    public Mark mark() {
        Double ratio = ratio();
        if (ratio == null) {
            return Mark.NONE;
        }
        if (spreadA == null || spreadB == null) {
            return Mark.NO_SPREAD;
        }
        double difference = Math.abs(ratio - 1);
        if (difference > spreadA.share() + TOLERANCE && difference > spreadB.share() + TOLERANCE) {
            return ratio > 1 ? Mark.HIGHER : Mark.LOWER;
        }
        return Mark.WITHIN;
    }
}
