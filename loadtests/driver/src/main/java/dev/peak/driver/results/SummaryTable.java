package dev.peak.driver.results;

import java.util.List;
import java.util.Locale;

/** The fixed-width text summary printed at the end of {@code make bench}. */
final class SummaryTable {

    private static final String CAPACITY = "%-12s %5s %7s %11s %7s %10s  %s%n";
    private static final String COSTS = "%-12s %5s %7s %9s %11s %9s %7s %11s%n";
    private static final String LATENCY = "%-12s %5s %7s %9s %9s %9s %12s %12s%n";
    private static final String FAULT = "%-12s %-12s %-17s %7s %8s %9s %7s %9s  %s%n";

    private SummaryTable() {
    }

    static String of(Results results) {
        StringBuilder out = new StringBuilder();
        int repeats = results.runs().stream().mapToInt(StaircaseRun::repeat).max().orElse(0);
        out.append(String.format(Locale.ROOT, "Maximum sustainable throughput (median of %d repeat%s; * = lower bound)%n",
                repeats, repeats == 1 ? "" : "s"));
        out.append(String.format(Locale.ROOT, CAPACITY, "variant", "cost", "servers", "max req/s", "spread", "p99@max", "stopped by"));
        for (Capacity c : results.capacities()) {
            out.append(String.format(Locale.ROOT, CAPACITY, c.variant(), c.cost(), c.servers(),
                    String.format(Locale.ROOT, "%.0f%s", c.maxRps(), c.lowerBound() ? "*" : ""),
                    String.format(Locale.ROOT, "%.1f%%", 100 * c.spread()),
                    c.p99AtMaxMs() == null ? "-" : String.format(Locale.ROOT, "%.2f", c.p99AtMaxMs()), c.stoppedBy()));
        }
        if (results.capacities().isEmpty()) {
            out.append("(no staircase in this profile)\n");
        }
        for (Scaling s : results.scaling()) {
            out.append(String.format(Locale.ROOT, "  scaling %s cost %d: %d→%d servers ×%.2f, efficiency %.2f%s%n",
                    s.variant(), s.cost(), s.fromServers(), s.toServers(), s.gain(), s.efficiency(), s.lowerBound() ? "*" : ""));
        }
        List<CostBreakdown> half = results.costBreakdowns().stream().filter(c -> Math.abs(c.fraction() - Answers.HALF) < 1e-9)
                .toList();
        if (!half.isEmpty()) {
            out.append("\nCPU µs per request at half the baseline's capacity (servers, infrastructure, generator)\n");
            out.append(String.format(Locale.ROOT, COSTS, "variant", "cost", "servers", "rate", "servers µs", "infra µs", "tax",
                    "generator µs"));
            for (CostBreakdown c : half) {
                out.append(String.format(Locale.ROOT, COSTS, c.variant(), c.cost(), c.servers(),
                        String.format(Locale.ROOT, "%.0f", c.rate()), String.format(Locale.ROOT, "%.1f", c.serversUs()),
                        String.format(Locale.ROOT, "%.1f", c.infrastructureUs()), String.format(Locale.ROOT, "%.0f%%", 100 * c.tax()),
                        String.format(Locale.ROOT, "%.1f", c.generatorUs())));
            }
        }
        List<LatencyAdded> added = results.latencyAdded().stream().filter(l -> Math.abs(l.fraction() - Answers.HALF) < 1e-9)
                .toList();
        if (!added.isEmpty()) {
            out.append("\nLatency at half the baseline's capacity, ms (transaction), and added over ri1-direct\n");
            out.append(String.format(Locale.ROOT, LATENCY, "variant", "cost", "servers", "p50", "p90", "p99", "p50 added",
                    "p99 added"));
            for (LatencyAdded l : added) {
                out.append(String.format(Locale.ROOT, LATENCY, l.variant(), l.cost(), l.servers(),
                        ms(l.p50Ms()), ms(l.p90Ms()), ms(l.p99Ms()) + (l.passed() ? "" : "!"), ms(l.addedP50Ms()),
                        ms(l.addedP99Ms())));
            }
        }
        if (!results.enforcement().isEmpty()) {
            out.append("\nThe baseline at half its capacity under two CPU enforcements\n");
            for (EnforcementCheck e : results.enforcement()) {
                out.append(String.format(Locale.ROOT, "  cost %d, %d server%s, %.0f req/s, %-32s p50 %s  p99 %s ms, "
                                + "stopped by the quota %.1f%% of the time%n", e.cost(), e.servers(), e.servers() == 1 ? "" : "s",
                        e.rate(), e.enforcement() + ":", ms(e.p50Ms()), ms(e.p99Ms()), 100 * e.throttledShare()));
            }
        }
        out.append('\n').append("Faults\n");
        out.append(String.format(Locale.ROOT, FAULT, "variant", "client", "fault", "servers", "rate/s", "requests",
                "errors", "window s", "recovery"));
        for (FaultResult f : results.faults()) {
            out.append(String.format(Locale.ROOT, FAULT, f.variant(), f.client(), f.fault(), f.servers(),
                    String.format(Locale.ROOT, "%.0f", f.rate()), f.requests(), f.errors(),
                    String.format(Locale.ROOT, "%.1f", f.errorWindowS()),
                    f.recoveryS() < 0 ? "not recovered" : String.format(Locale.ROOT, "%.1f s", f.recoveryS())));
        }
        if (results.faults().isEmpty()) {
            out.append("(no fault run in this profile)\n");
        }
        for (Skipped s : results.skipped()) {
            out.append(String.format(Locale.ROOT, "Not measured: %s at %d server%s: %s%n", s.variant(), s.servers(),
                    s.servers() == 1 ? "" : "s", s.reason()));
        }
        return out.toString();
    }

    private static String ms(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }
}
