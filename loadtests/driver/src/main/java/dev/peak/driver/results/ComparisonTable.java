package dev.peak.driver.results;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.peak.driver.results.Figure.Mark;
import dev.peak.driver.results.Figure.Spread;

/** The fixed-width text of a {@link Comparison} that {@code scale.sh compare} prints. */
final class ComparisonTable {

    // each figure's title over its columns, as wide as they are
    private static final String GROUPS = "%26s  %21s  %21s  %27s  %21s%n";
    private static final String ROW = "%-12s %7s %5s  %6s %6s %7s  %6s %6s %7s  %5s %6s %6s %7s  %6s %6s %7s  %s%n";

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private ComparisonTable() {
    }

    static String of(Comparison comparison) {
        StringBuilder out = new StringBuilder();
        out.append("Runs compared\n");
        for (SavedRun run : List.of(comparison.a(), comparison.b())) {
            out.append("  ").append(comparison.name(run)).append("  ").append(describe(run)).append('\n');
        }
        out.append('\n');
        out.append(String.format(Locale.ROOT, GROUPS, "", "max sustainable (/s)", "p99 at max (ms)",
                "CPU µs/req at % of baseline", "lowest Jain index"));
        out.append(String.format(Locale.ROOT, ROW, "variant", "servers", "cost", "A", "B", "B/A", "A", "B", "B/A", "at",
                "A", "B", "B/A", "A", "B", "B/A", "").stripTrailing()).append('\n');
        for (ComparisonRow row : comparison.rows()) {
            Figure max = row.maxRps();
            Figure p99 = row.p99AtMaxMs();
            Figure cpu = row.systemUs();
            Figure jain = row.lowestJain();
            out.append(String.format(Locale.ROOT, ROW, row.variant(), row.servers(), row.cost(),
                    rate(max.a(), row.lowerBoundA()), rate(max.b(), row.lowerBoundB()), ratio(max),
                    number(p99.a(), "%.2f"), number(p99.b(), "%.2f"), ratio(p99),
                    row.costFraction() == null ? "—" : percent(row.costFraction()),
                    number(cpu.a(), "%.1f"), number(cpu.b(), "%.1f"), ratio(cpu),
                    number(jain.a(), "%.3f"), number(jain.b(), "%.3f"), ratio(jain), note(row)).stripTrailing())
                    .append('\n');
        }
        if (comparison.rows().isEmpty()) {
            out.append("(no staircase in either run)\n");
        }
        out.append('\n').append(beyondSpread(comparison)).append('\n').append(legend());
        return out.toString();
    }

    /** Each difference that goes beyond both runs' spread, with both spreads: why it counts. */
    private static String beyondSpread(Comparison comparison) {
        List<String> lines = new ArrayList<>();
        for (ComparisonRow row : comparison.rows()) {
            for (ComparisonRow.NamedFigure f : row.beyondSpread()) {
                Figure x = f.figure();
                lines.add(String.format(Locale.ROOT, "  %s, %d server%s, cost %d: %s %s → %s, B/A %.3f %s; spread A %s, B %s",
                        row.variant(), row.servers(), row.servers() == 1 ? "" : "s", row.cost(), f.name(),
                        plain(x.a()), plain(x.b()), x.ratio(), symbol(x.mark()), spread(x.spreadA()), spread(x.spreadB())));
            }
        }
        if (lines.isEmpty()) {
            return "No difference goes beyond both runs' own spread.\n";
        }
        return "Beyond both runs' own spread (|B/A − 1| larger than A's and B's):\n" + String.join("\n", lines) + '\n';
    }

    private static String legend() {
        return """
                B/A: ▲ ▼ B above / below A beyond both runs' own spread; blank: within a run's spread;
                  ? no spread to judge by: one repeat gives none (the full profile runs 3 repeats), and a lower bound (≥)
                  has no failing level above it.
                Spread of a figure in one run: (max − min) / median over its repeats. For the maximum it is never less
                  than the search's bracket, the gap from the maximum to the lowest rate that failed above it: with one
                  repeat that is its only spread, and it measures the search's step, not how much a rerun moves the
                  maximum (docs/experiment.md, "What a figure is worth").
                System CPU: servers and infrastructure (proxy, ingress, sidecars, peak-dns), not the generator, µs per
                  primary request at the fixed rate "at": that share of each run's own baseline capacity, 50 % where
                  both runs have it, else the highest share below it both have (RI2 runs at 10 and 25 %). The two
                  runs' rates differ as their baselines do.
                Lowest Jain index over repeats, of staircases with two servers or more; — with one server (nothing to
                  balance).
                """;
    }

    private static String describe(SavedRun run) {
        Manifest m = run.results().manifest();
        int repeats = run.results().runs().stream().mapToInt(StaircaseRun::repeat).max().orElse(0);
        String commit = m == null || m.gitCommit() == null ? "unknown" : shortCommit(m.gitCommit());
        return String.format(Locale.ROOT, "%s: profile %s, commit %s, started %s, %d repeat%s%s", run.dir(),
                m == null ? "?" : m.profile(), commit, m == null ? "?" : minute(m.startedAt()), repeats,
                repeats == 1 ? "" : "s", run.partial() ? ", PARTIAL" : "");
    }

    /** "2026-12-06 19:02 UTC" from an ISO-8601 instant; anything else as it is. */
    static String minute(String instant) {
        if (instant == null) {
            return "?";
        }
        try {
            return MINUTE.format(Instant.parse(instant));
        } catch (DateTimeParseException e) {
            return instant;
        }
    }

    /** The first 7 hex digits and what follows them ("(with local changes)"). */
    static String shortCommit(String commit) {
        return commit.matches("^[0-9a-f]{40}.*") ? commit.substring(0, 7) + commit.substring(40) : commit;
    }

    private static String note(ComparisonRow row) {
        if (!row.inBoth()) {
            String only = row.inA() ? "only in A" : "only in B";
            return row.missingWhy() == null ? only : only + " (" + (row.inA() ? "B" : "A") + ": " + row.missingWhy() + ")";
        }
        List<String> beyond = row.beyondSpread().stream().map(f -> f.name() + " " + symbol(f.figure().mark())).toList();
        return beyond.isEmpty() ? "" : String.join(", ", beyond) + " beyond spread";
    }

    private static String rate(Double value, boolean lowerBound) {
        return value == null ? "—" : (lowerBound ? "≥" : "") + String.format(Locale.ROOT, "%.0f", value);
    }

    private static String number(Double value, String format) {
        return value == null ? "—" : String.format(Locale.ROOT, format, value);
    }

    private static String ratio(Figure figure) {
        return figure.ratio() == null ? "—" : String.format(Locale.ROOT, "%.3f%s", figure.ratio(), symbol(figure.mark()));
    }

    static String symbol(Mark mark) {
        return switch (mark) {
            case HIGHER -> "▲";
            case LOWER -> "▼";
            case NO_SPREAD -> "?";
            case WITHIN, NONE -> " ";
        };
    }

    private static String spread(Spread spread) {
        return String.format(Locale.ROOT, "%.1f %% (%s)", 100 * spread.share(), spread.from());
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f %%", 100 * share);
    }

    private static String plain(Double value) {
        return value == null ? "—" : Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.3g", value);
    }
}
