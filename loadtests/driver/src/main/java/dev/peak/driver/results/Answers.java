package dev.peak.driver.results;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes the answers to the proposal's three research questions from the numbers, and the limits that bend
 * them. A difference counts only when it is at least {@value #TIE} of the smaller value and, with repeats,
 * outside the repeats' ranges; otherwise the text says "tie" or "inconclusive".
 */
final class Answers {

    /** Below this relative difference two figures are a tie: this VM's CPUs are noisy (DESIGN §7). */
    static final double TIE = 0.05;

    /** Server, then the single point in front (proxy), then PEAK's counterpart of it (a DNS replica). */
    private static final List<String> FAULTS = List.of(Fault.KILL_SERVER, Fault.KILL_PROXY, Fault.KILL_DNS_REPLICA);
    private static final Comparator<String> FAULT_ORDER = Comparator
            .comparingInt((String f) -> FAULTS.contains(f) ? FAULTS.indexOf(f) : FAULTS.size())
            .thenComparing(Comparator.naturalOrder());

    private final Results results;

    private Answers(Results results) {
        this.results = results;
    }

    static List<String> of(Results results) {
        return new Answers(results).paragraphs();
    }

    private List<String> paragraphs() {
        if (results.runs().isEmpty() && results.faults().isEmpty()) {
            return List.of("No staircase and no fault run in this profile: there are no numbers to answer the "
                    + "research questions with.");
        }
        return List.of(performance(), metrics(), scaling(), limits());
    }

    // RQ1

    private String performance() {
        List<String> parts = new ArrayList<>();
        comparisonAtLargestCommon(Variants.RI1_PEAK, List.of(Variants.RI1_HAPROXY, Variants.RI1_NGINX), false)
                .ifPresent(parts::add);
        comparisonAtLargestCommon(Variants.RI2_PEAK, List.of(Variants.RI2_MESH), true).ifPresent(parts::add);
        parts.add(faults());
        return "RQ1 — How does PEAK perform compared to traditional systems? " + String.join(" ", parts);
    }

    /** PEAK against its counterparts at the largest server count they all ran. */
    private Optional<String> comparisonAtLargestCommon(String peak, List<String> counterparts,
                                                       boolean transactions) {
        List<String> present = counterparts.stream().filter(c -> !servers(c).isEmpty()).toList();
        if (servers(peak).isEmpty() || present.isEmpty()) {
            return Optional.empty();
        }
        Optional<Integer> common = servers(peak).stream()
                .filter(n -> present.stream().allMatch(c -> servers(c).contains(n))).max(Integer::compare);
        if (common.isEmpty()) {
            return Optional.of(label(peak) + " and its counterparts ran no common server count: no comparison.");
        }
        int n = common.get();
        String unit = transactions ? "transactions/s" : "req/s";
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%s at %d server%s: %s sustained %s",
                transactions ? "RI2" : "RI1", n, n == 1 ? "" : "s", label(peak), value(peak, n, transactions, unit)));
        for (String other : present) {
            text.append(String.format(Locale.ROOT, "; %s %s (PEAK %s)", label(other),
                    value(other, n, transactions, unit), compare(peak, other, n, transactions)));
        }
        if (!transactions && !servers(Variants.RI1_DIRECT).isEmpty() && servers(Variants.RI1_DIRECT).contains(n)) {
            text.append(String.format(Locale.ROOT, "; the no-balancer baseline reached %s",
                    value(Variants.RI1_DIRECT, n, false, unit)));
        }
        text.append(". p99 at those rates: ").append(Stream.concat(Stream.of(peak), present.stream())
                .map(v -> label(v) + " " + p99AtMax(v, n)).collect(Collectors.joining(", ")));
        if (transactions) {
            text.append(". One RI2 transaction is one call that needs both services: in PEAK a call to B carrying "
                    + "the token the client fetched from A once per session of k calls, in the mesh one /chain request "
                    + "with the A→B call inside the mesh; latencies are per transaction, each at its own max rate");
        }
        return Optional.of(text.append('.').toString());
    }

    private String faults() {
        if (results.faults().isEmpty()) {
            return "No fault run in this profile.";
        }
        Map<String, List<Fault>> byKind = results.faults().stream().collect(Collectors.groupingBy(Fault::fault,
                () -> new TreeMap<>(FAULT_ORDER), Collectors.toList()));
        List<String> kinds = new ArrayList<>();
        byKind.forEach((kind, faults) -> kinds.add(kind + ": " + faults.stream()
                .sorted((a, b) -> Variants.BY_ORDER.compare(a.variant(), b.variant()))
                .map(f -> String.format(Locale.ROOT, "%s %d errors of %d over %s, %s", label(f.variant()),
                        f.errors(), f.requests(), seconds(f.errorWindowS()), recovery(f.recoveryS())))
                .collect(Collectors.joining("; "))));
        return "Faults (recovered = the first " + Metrics.RECOVERED_SECONDS + " consecutive seconds without a failed "
                + "request whose ok rate averages ≥ " + Math.round(Metrics.RECOVERED_SHARE * 100)
                + " % of the rate before the fault): " + String.join(". ", kinds) + ".";
    }

    // RQ2

    private String metrics() {
        List<String> separate = new ArrayList<>();
        List<String> same = new ArrayList<>();
        sort(separate, same, "throughput", throughputSeparates());
        sort(separate, same, "latency (p99 at max, ≥ 10 %)", ratioSeparates(this::p99AtMaxValue, 0.10));
        sort(separate, same, "scalability (efficiency, ≥ 0.1)", differenceSeparates(this::efficiency, 0.1));
        sort(separate, same, "balance (lowest Jain index, ≥ 0.02)", differenceSeparates(this::jainMin, 0.02));
        sort(separate, same, "inner-service communication (per-transaction p50, ≥ 10 %)", innerServiceSeparates());
        sort(separate, same, "fault tolerance (errors ×2, or recovery ±1 s)", faultsSeparate());
        return "RQ2 — Which metrics compare PEAK with traditional systems? The suite measures the proposal's six: "
                + "latency (p50/p95/p99 per step), throughput (the highest step that keeps the error rate and p99 "
                + "under the limits" + limitsText() + "), scalability (scaling efficiency, 1 = linear), balance "
                + "(Jain's index and coefficient of variation of per-instance requests), inner-service "
                + "communication (RI2 latency per call and per transaction) and fault tolerance (errors, error "
                + "window, time to recover). In this run "
                + (separate.isEmpty() ? "none of them" : String.join(", ", separate))
                + " separated PEAK from its counterparts"
                + (same.isEmpty() ? "" : "; " + String.join(", ", same) + " did not, or had no data") + ".";
    }

    private static void sort(List<String> separate, List<String> same, String metric, boolean separates) {
        (separates ? separate : same).add(metric);
    }

    private String limitsText() {
        Map<String, Object> plan = results.manifest() == null ? Map.of() : results.manifest().plan();
        List<String> limits = new ArrayList<>();
        if (plan.get("errorLimit") instanceof Number limit) {
            limits.add(String.format(Locale.ROOT, "errors ≤ %s %%", number(limit.doubleValue() * 100)));
        }
        if (plan.get("sloMs") instanceof Number slo) {
            limits.add(String.format(Locale.ROOT, "p99 ≤ %s ms", number(slo.doubleValue())));
        }
        return limits.isEmpty() ? "" : ": " + String.join(", ", limits);
    }

    private boolean throughputSeparates() {
        return pairs().stream().anyMatch(p -> commonServers(p[0], p[1]).stream()
                .anyMatch(n -> conclusive(p[0], p[1], n, Variants.isRi2(p[0]))));
    }

    private boolean ratioSeparates(PerServers figure, double threshold) {
        return pairs().stream().anyMatch(p -> commonServers(p[0], p[1]).stream().anyMatch(n -> {
            double a = figure.at(p[0], n);
            double b = figure.at(p[1], n);
            return a > 0 && b > 0 && Math.abs(a - b) / Math.min(a, b) >= threshold;
        }));
    }

    private boolean differenceSeparates(ToDoubleFunction<String> figure, double threshold) {
        return pairs().stream().anyMatch(p -> {
            double a = figure.applyAsDouble(p[0]);
            double b = figure.applyAsDouble(p[1]);
            return !Double.isNaN(a) && !Double.isNaN(b) && Math.abs(a - b) >= threshold;
        });
    }

    private boolean innerServiceSeparates() {
        Optional<Percentiles> peak = transaction(Variants.RI2_PEAK);
        Optional<Percentiles> mesh = transaction(Variants.RI2_MESH);
        if (peak.isEmpty() || mesh.isEmpty() || peak.get().p50Ms() <= 0 || mesh.get().p50Ms() <= 0) {
            return false;
        }
        double a = peak.get().p50Ms();
        double b = mesh.get().p50Ms();
        return Math.abs(a - b) / Math.min(a, b) >= 0.10;
    }

    private boolean faultsSeparate() {
        return results.faults().stream().anyMatch(f -> results.faults().stream()
                .filter(g -> g.fault().equals(f.fault()) || isPeakAgainstProxyFailure(f, g))
                .anyMatch(g -> peakPair(f.variant(), g.variant()) && faultsDiffer(f, g)));
    }

    /** Killing a peak-dns replica is PEAK's counterpart of killing the proxy. */
    private static boolean isPeakAgainstProxyFailure(Fault f, Fault g) {
        return f.fault().equals(Fault.KILL_DNS_REPLICA) && g.fault().equals(Fault.KILL_PROXY);
    }

    private static boolean faultsDiffer(Fault a, Fault b) {
        boolean errors = Math.max(a.errors(), b.errors()) >= 10
                && Math.max(a.errors(), b.errors()) >= 2 * Math.min(a.errors(), b.errors());
        boolean recovered = (a.recoveryS() < 0) != (b.recoveryS() < 0);
        boolean recovery = a.recoveryS() >= 0 && b.recoveryS() >= 0 && Math.abs(a.recoveryS() - b.recoveryS()) >= 1;
        return errors || recovered || recovery;
    }

    // RQ3

    private String scaling() {
        List<String> parts = new ArrayList<>();
        for (String variant : results.summary().keySet()) {
            VariantSummary s = results.summary().get(variant);
            List<Integer> ns = servers(variant);
            if (s.scalingEfficiency() == null) {
                continue;
            }
            int n0 = ns.get(0);
            int n1 = ns.get(ns.size() - 1);
            parts.add(String.format(Locale.ROOT, "%s %.2f (%d→%d servers: throughput ×%.2f for ×%s servers%s%s)",
                    label(variant), s.scalingEfficiency(), n0, n1, maxRps(variant, n1) / maxRps(variant, n0),
                    number((double) n1 / n0), p99Trend(variant, n0, n1),
                    generatorBound(variant, n1) ? "; lower bound: the generator, not the system, stopped it at "
                            + n1 + " servers" : ""));
        }
        if (parts.isEmpty()) {
            return "RQ3 — How does PEAK scale compared to traditional systems? Inconclusive: no variant ran at two "
                    + "server counts in this profile.";
        }
        return "RQ3 — How does PEAK scale compared to traditional systems? Scaling efficiency (1 = throughput "
                + "grows in proportion to servers): " + String.join("; ", parts) + ". " + scalingVerdict();
    }

    private String p99Trend(String variant, int n0, int n1) {
        double a = p99AtMaxValue(variant, n0);
        double b = p99AtMaxValue(variant, n1);
        return a > 0 && b > 0 ? String.format(Locale.ROOT, ", p99 at max %s → %s ms", number(a), number(b)) : "";
    }

    private String scalingVerdict() {
        List<String> verdicts = new ArrayList<>();
        for (String[] pair : pairs()) {
            double a = efficiency(pair[0]);
            double b = efficiency(pair[1]);
            if (Double.isNaN(a) || Double.isNaN(b)) {
                continue;
            }
            String bounded = a < b && lowerBound(pair[0]) ? pair[0] : a > b && lowerBound(pair[1]) ? pair[1] : null;
            if (Math.abs(a - b) >= 0.1 && bounded != null) {
                verdicts.add(label(pair[0]) + " against " + label(pair[1]) + ": inconclusive, " + label(bounded)
                        + "'s efficiency is a lower bound");
                continue;
            }
            String how = Math.abs(a - b) < 0.1 ? "about as well as" : a > b ? "better than" : "worse than";
            verdicts.add(label(pair[0]) + " scaled " + how + " " + label(pair[1]));
        }
        return verdicts.isEmpty() ? "" : String.join("; ", verdicts) + " (differences under 0.1 count as equal).";
    }

    // Limits

    private String limits() {
        List<String> limits = new ArrayList<>();
        List<String> bound = new ArrayList<>();
        long steps = 0;
        for (Run run : results.runs()) {
            long n = run.steps().stream().filter(s -> s.verdict().equals(Step.GENERATOR_BOUND)).count();
            steps += n;
            if (n > 0) {
                bound.add(String.format(Locale.ROOT, "%s n=%d repeat %d", run.variant(), run.servers(), run.repeat()));
            }
        }
        Manifest manifest = results.manifest();
        String cpus = manifest == null ? null : manifest.machine().get("cpus");
        if (steps > 0) {
            limits.add(String.format(Locale.ROOT, "%d step%s were generator-bound (%s): the load generator%s ran "
                            + "out of CPU before the system failed, so those staircases give lower bounds, and "
                            + "they are never counted as the system failing", steps, steps == 1 ? "" : "s",
                    String.join(", ", bound), cpus == null ? "" : " (on a " + cpus + "-CPU machine)"));
        } else {
            limits.add("No step was generator-bound");
        }
        int repeats = results.runs().stream().mapToInt(Run::repeat).max().orElse(0);
        if (repeats < 2 && !results.runs().isEmpty()) {
            limits.add("each staircase ran once, so no spread was measured: treat differences under about 10 % "
                    + "as noise");
        }
        if (!Variants.onKubernetes(manifest) && results.runs().stream()
                .anyMatch(r -> r.variant().equals(Variants.RI2_MESH))) {
            limits.add("the mesh is a sidecar emulation (HAProxy sidecars with mutual TLS on Istio's data path), "
                    + "not Istio's Envoy: its per-hop cost may differ from a real mesh's");
        }
        String enforcement = manifest == null ? null : manifest.cpuEnforcement();
        if (enforcement != null && enforcement.toLowerCase(Locale.ROOT).contains("taskset")) {
            limits.add("CPU budgets were pinned with taskset, which cannot enforce a fraction of a core");
        }
        return "Limits of this run: " + String.join("; ", limits) + ".";
    }

    // Figures

    /** The variant's repeats at n: max throughput (or the highest passing rate, for transactions). */
    private List<Double> repeats(String variant, int n, boolean transactions) {
        return results.runs().stream().filter(r -> r.variant().equals(variant) && r.servers() == n)
                .map(r -> transactions
                        ? Metrics.highestPassing(r.steps()).map(Step::rate).orElse(0.0)
                        : Objects.requireNonNullElse(r.maxSustainableRps(), 0.0))
                .toList();
    }

    private String value(String variant, int n, boolean transactions, String unit) {
        List<Double> values = repeats(variant, n, transactions);
        String median = number(Metrics.median(values));
        String range = values.size() < 2 ? "" : String.format(Locale.ROOT, " [%s–%s over %d repeats]",
                number(min(values)), number(max(values)), values.size());
        return (generatorBound(variant, n) ? "≥ " : "") + median + " " + unit + range;
    }

    /** "1.07×, a tie" or "1.30×, beyond the repeats' spread" … */
    private String compare(String a, String b, int n, boolean transactions) {
        List<Double> x = repeats(a, n, transactions);
        List<Double> y = repeats(b, n, transactions);
        double ma = Metrics.median(x);
        double mb = Metrics.median(y);
        if (mb <= 0) {
            return "—";
        }
        String ratio = String.format(Locale.ROOT, "%.2f×", ma / mb);
        String why;
        if (isTie(ma, mb)) {
            why = "a tie (within " + Math.round(TIE * 100) + " %)";
        } else if (ma < mb && generatorBound(a, n)) {
            why = "inconclusive: PEAK's staircase was stopped by the load generator";
        } else if (ma > mb && generatorBound(b, n)) {
            why = "inconclusive: the counterpart's staircase was stopped by the load generator";
        } else if (x.size() < 2 || y.size() < 2) {
            why = "one repeat, spread not measured";
        } else if (overlap(x, y)) {
            why = "inconclusive: inside the repeats' spread";
        } else {
            why = "beyond the repeats' spread";
        }
        return ratio + ", " + why;
    }

    private boolean conclusive(String a, String b, int n, boolean transactions) {
        List<Double> x = repeats(a, n, transactions);
        List<Double> y = repeats(b, n, transactions);
        double ma = Metrics.median(x);
        double mb = Metrics.median(y);
        return !isTie(ma, mb) && !(ma < mb && generatorBound(a, n)) && !(ma > mb && generatorBound(b, n))
                && (x.size() < 2 || y.size() < 2 || !overlap(x, y));
    }

    private static boolean isTie(double a, double b) {
        return Math.abs(a - b) < TIE * Math.min(a, b) || a == b;
    }

    private static boolean overlap(List<Double> x, List<Double> y) {
        return min(x) <= max(y) && min(y) <= max(x);
    }

    private boolean generatorBound(String variant, int n) {
        VariantSummary s = results.summary().get(variant);
        return s != null && s.limitByServers().getOrDefault(Integer.toString(n), "").contains(Step.GENERATOR_BOUND);
    }

    /** PEAK variants against their counterparts: {peak, counterpart}. */
    private List<String[]> pairs() {
        List<String[]> pairs = new ArrayList<>();
        for (String counterpart : List.of(Variants.RI1_HAPROXY, Variants.RI1_NGINX)) {
            pairs.add(new String[]{Variants.RI1_PEAK, counterpart});
        }
        pairs.add(new String[]{Variants.RI2_PEAK, Variants.RI2_MESH});
        return pairs.stream().filter(p -> results.summary().containsKey(p[0])
                && results.summary().containsKey(p[1])).toList();
    }

    private static boolean peakPair(String a, String b) {
        return (a.equals(Variants.RI1_PEAK) && (b.equals(Variants.RI1_HAPROXY) || b.equals(Variants.RI1_NGINX)))
                || (a.equals(Variants.RI2_PEAK) && b.equals(Variants.RI2_MESH));
    }

    private List<Integer> servers(String variant) {
        VariantSummary s = results.summary().get(variant);
        return s == null ? List.of() : s.maxRpsByServers().keySet().stream().map(Integer::valueOf).sorted().toList();
    }

    private List<Integer> commonServers(String a, String b) {
        return servers(a).stream().filter(servers(b)::contains).toList();
    }

    /** Whether the variant's largest server count was generator-bound, making its efficiency a lower bound. */
    private boolean lowerBound(String variant) {
        List<Integer> ns = servers(variant);
        return !ns.isEmpty() && generatorBound(variant, ns.get(ns.size() - 1));
    }

    private double maxRps(String variant, int n) {
        return results.summary().get(variant).maxRpsByServers().get(Integer.toString(n));
    }

    private double p99AtMaxValue(String variant, int n) {
        VariantSummary s = results.summary().get(variant);
        Double p99 = s == null ? null : s.p99AtMaxMsByServers().get(Integer.toString(n));
        return p99 == null ? Double.NaN : p99;
    }

    private String p99AtMax(String variant, int n) {
        double p99 = p99AtMaxValue(variant, n);
        return Double.isNaN(p99) ? "n/a" : number(p99) + " ms";
    }

    private double efficiency(String variant) {
        Double e = results.summary().get(variant).scalingEfficiency();
        return e == null ? Double.NaN : e;
    }

    private double jainMin(String variant) {
        Double j = results.summary().get(variant).jainMin();
        return j == null ? Double.NaN : j;
    }

    /** The per-transaction latency of the variant's run at its largest server count (first repeat). */
    private Optional<Percentiles> transaction(String variant) {
        return results.runs().stream().filter(r -> r.variant().equals(variant))
                .max((a, b) -> a.servers() != b.servers() ? Integer.compare(a.servers(), b.servers())
                        : Integer.compare(b.repeat(), a.repeat()))
                .map(r -> r.calls().get("session"));
    }

    private String label(String variant) {
        return Variants.label(variant, results.manifest());
    }

    private static String recovery(double seconds) {
        return seconds < 0 ? "not recovered before the run ended" : "recovered in " + seconds(seconds);
    }

    private static String seconds(double seconds) {
        return number(seconds) + " s";
    }

    /** Three significant digits at most, no trailing zeros: 1500, 98.2, 1.25, 0.0431. */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros()
                .toPlainString();
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    @FunctionalInterface
    private interface PerServers {
        double at(String variant, int n);
    }
}
