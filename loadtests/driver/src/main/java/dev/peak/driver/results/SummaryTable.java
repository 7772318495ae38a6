package dev.peak.driver.results;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The fixed-width text summary printed at the end of {@code make bench}. */
final class SummaryTable {

    private static final String ROW = "%-13s %7s %10s %7s %10s  %-18s %10s %8s%n";
    private static final String FAULT_ROW = "%-13s %-17s %7s %8s %9s %7s %9s  %s%n";

    private SummaryTable() {
    }

    static String of(Results results) {
        StringBuilder out = new StringBuilder();
        int repeats = results.runs().stream().mapToInt(Run::repeat).max().orElse(0);
        out.append(String.format(Locale.ROOT, "Max sustainable throughput (median of %d repeat%s; spread = "
                + "(max - min) / median)%n", repeats, repeats == 1 ? "" : "s"));
        out.append(String.format(Locale.ROOT, ROW, "variant", "servers", "max req/s", "spread", "p99@max ms",
                "stopped by", "efficiency", "Jain min"));
        boolean anyBound = false;
        for (Map.Entry<String, VariantSummary> e : results.summary().entrySet()) {
            VariantSummary s = e.getValue();
            boolean first = true;
            for (String n : s.maxRpsByServers().keySet()) {
                String limit = s.limitByServers().getOrDefault(n, "");
                boolean bound = limit.contains(Step.GENERATOR_BOUND);
                anyBound |= bound;
                Double p99 = s.p99AtMaxMsByServers().get(n);
                out.append(String.format(Locale.ROOT, ROW, first ? e.getKey() : "", n,
                        (bound ? ">=" : "") + String.format(Locale.ROOT, "%.1f", s.maxRpsByServers().get(n)),
                        String.format(Locale.ROOT, "%.1f%%", 100 * s.maxRpsSpreadByServers().getOrDefault(n, 0.0)),
                        p99 == null ? "-" : String.format(Locale.ROOT, "%.2f", p99), limit + (bound ? " *" : ""),
                        first ? optional(s.scalingEfficiency(), "%.2f") : "",
                        first ? optional(s.jainMin(), "%.3f") : ""));
                first = false;
            }
        }
        if (results.summary().isEmpty()) {
            out.append("(no staircase in this profile)\n");
        }
        if (anyBound) {
            out.append("* generator-bound: the load generator, not the system, was the limit; the max is a lower "
                    + "bound and not a failure of the system.\n");
        }
        out.append('\n').append("Faults\n");
        out.append(String.format(Locale.ROOT, FAULT_ROW, "variant", "fault", "servers", "rate/s", "requests",
                "errors", "window s", "recovery"));
        List<Fault> faults = results.faults().stream()
                .sorted((a, b) -> Variants.BY_ORDER.compare(a.variant(), b.variant())).toList();
        for (Fault f : faults) {
            out.append(String.format(Locale.ROOT, FAULT_ROW, f.variant(), f.fault(), f.servers(),
                    String.format(Locale.ROOT, "%.0f", f.rate()), f.requests(), f.errors(),
                    String.format(Locale.ROOT, "%.1f", f.errorWindowS()),
                    f.recoveryS() < 0 ? "not recovered" : String.format(Locale.ROOT, "%.1f s", f.recoveryS())));
        }
        if (faults.isEmpty()) {
            out.append("(no fault run in this profile)\n");
        }
        return out.toString();
    }

    private static String optional(Double value, String format) {
        return value == null ? "-" : String.format(Locale.ROOT, format, value);
    }
}
