package dev.peak.driver.results;

import java.util.List;
import java.util.Map;

import dev.peak.driver.variant.Named;

/**
 * One staircase: one variant at one server count and one work cost, in one warm generator.
 *
 * @param budgets           the CPUs each server and each proxy-like instance had (miniature mode shrinks them)
 * @param maxSustainableRps offered requests/s of the highest passing level below the confirmed failure; null if
 *                          no level passed
 * @param stop              why the search ended: only {@link Stop#FAILED} gives the system's own maximum
 * @param balance           per-instance counts over the passing levels, null if not collected
 * @param calls             latency per request kind at the highest passing level
 * @param gatlingReport     Gatling's HTML report of the staircase, relative to the results folder, or null
 * @param warmUp            how its warm-up ended, or null (a generator that takes its whole plan at once)
 */
public record StaircaseRun(String variant, int servers, int cost, int repeat, Map<String, Double> budgets, List<Level> levels,
                  Double maxSustainableRps, Stop stop, BalanceIndex balance, Map<String, Percentiles> calls,
                  String gatlingReport, WarmUpOutcome warmUp) {

    /** Why a staircase's search ended, by the names results.json gives them. */
    public enum Stop implements Named {
        /** A failure, confirmed: the maximum is the system's. */
        FAILED("failed"),
        /** The generator was the limit: the maximum is a lower bound. */
        GENERATOR_BOUND("generator-bound"),
        /** The generator cannot offer more than its maximum rate, and that still passed: a lower bound. */
        CEILING("ceiling"),
        /** The plan's last level still passed: a lower bound. */
        PLAN_END("plan-end"),
        /** The run stopped during this staircase: its levels so far, no maximum; a resumed run measures it again. */
        INTERRUPTED("interrupted");

        private final String id;

        Stop(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }
        public static Stop of(String id) {
            return Named.byId(Stop.class, id, "a stop");
        }

        @Override
        public String toString() {
            return id;
        }
    }

    public StaircaseRun {
        levels = levels == null ? List.of() : levels;
        calls = calls == null ? Map.of() : calls;
        budgets = budgets == null ? Map.of() : budgets;
    }

    /** This run with {@code gatlingReport}: its generator writes the report once it stops, after the staircase. */
    public StaircaseRun withGatlingReport(String gatlingReport) {
        return new StaircaseRun(variant, servers, cost, repeat, budgets, levels, maxSustainableRps, stop, balance, calls,
                gatlingReport, warmUp);
    }

    /** Whether the maximum is only a lower bound: something other than the system ended the search. */
    public boolean lowerBound() {
        return stop != Stop.FAILED;
    }
}
