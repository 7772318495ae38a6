package dev.peak.driver.results;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import dev.peak.driver.cpu.CpuBudgets;
import dev.peak.driver.variant.Client;
import dev.peak.driver.variant.FaultKind;
import dev.peak.driver.variant.Variant;

/**
 * Writes the answers to the proposal's three research questions from the numbers, and the limits that bend them.
 * A difference counts only when it is at least {@value #TIE} of the smaller value and, with repeats, outside their
 * spread; otherwise the text says "tie" or "inconclusive". Lower bounds and miniature figures are named as such.
 *
 * <p>Longer than 400 lines because it is prose: one method per paragraph of the report, all reading one results
 * object under the same rule of what counts as a difference.
 */
final class Answers {

    /** Below this relative difference two figures are a tie: this VM's CPUs are noisy. */
    static final double TIE = 0.05;
    /** What one staircase's maximum is worth, measured on the 2-vCPU VM this suite was built on. */
    static final String ONE_RUN_SPREAD = "on the VM this suite was built on, RI1 direct's staircase at cost 0 sustained "
            + "5034 to 5776 requests/s over 4 runs with the same code and settings, and 2851 to 5034 over 9 runs with "
            + "two event loops per server, one of them 40 % under the median (a server JVM settles in a compiled state "
            + "of its own, which sets its CPU per request for the whole staircase)";
    /**
     * The fixed rate the answers quote: half the baseline's capacity, or the highest measured below it (RI2's
     * transaction fails where RI1's servers are half busy, so its profile measures it lower).
     */
    static final double HALF = 0.5;

    private final Results results;

    private Answers(Results results) {
        this.results = results;
    }

    static List<String> of(Results results) {
        return new Answers(results).paragraphs();
    }

    /** One paragraph per question, the first and the third with their details in paragraphs of their own. */
    private List<String> paragraphs() {
        if (results.runs().isEmpty() && results.faults().isEmpty()) {
            return List.of("No staircase and no fault run in this profile: there are no numbers to answer the "
                    + "research questions with.");
        }
        List<String> paragraphs = new ArrayList<>();
        paragraphs.add("RQ1 — How does PEAK perform compared to traditional systems? Per reference implementation and "
                + "work cost: what each variant sustained, what it adds to the latency of the no-balancer baseline at the "
                + "same rates, and the CPU a request costs in the servers and around them; then the faults.");
        for (int cost : costs()) {
            comparison(Variant.RI1_PEAK, cost).ifPresent(paragraphs::add);
            comparison(Variant.RI2_PEAK, cost).ifPresent(paragraphs::add);
        }
        paragraphs.add(faults());
        paragraphs.add(metrics());
        paragraphs.add(scaling());
        String ceilings = ceilings();
        if (!ceilings.isEmpty()) {
            paragraphs.add(ceilings);
        }
        paragraphs.add(limits());
        return paragraphs;
    }

    // RQ1

    /** PEAK against its counterparts at one cost: capacity, latency added and cost per request. */
    private Optional<String> comparison(Variant peak, int cost) {
        List<Variant> others = peak.counterparts().stream().filter(v -> !capacities(v, cost).isEmpty()).toList();
        if (capacities(peak, cost).isEmpty() || others.isEmpty()) {
            return Optional.empty();
        }
        Optional<Integer> common = capacities(peak, cost).stream().map(Capacity::servers)
                .filter(n -> others.stream().allMatch(o -> capacity(o, n, cost).isPresent())).max(Integer::compare);
        String unit = peak.withB() ? "transactions/s" : "req/s";
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%s, cost %d:", peak.group(), cost));
        if (common.isPresent()) {
            int n = common.get();
            Capacity p = capacity(peak, n, cost).orElseThrow();
            text.append(String.format(Locale.ROOT, " at %d server%s %s sustained %s%s", n, n == 1 ? "" : "s", label(peak),
                    value(p, unit), sizeAndLimit(peak, n, cost)));
            for (Variant other : others) {
                Capacity o = capacity(other, n, cost).orElseThrow();
                text.append(String.format(Locale.ROOT, "; %s %s%s (PEAK %s)", label(other), value(o, unit),
                        sizeAndLimit(other, n, cost), compare(p, o)));
            }
            if (!peak.withB()) {
                capacity(Variant.RI1_DIRECT, n, cost).ifPresent(b -> text.append(
                        "; the no-balancer baseline " + value(b, unit)));
            }
            text.append('.');
        }
        latencyAt(peak, others, cost).ifPresent(s -> text.append(' ').append(s));
        costAt(peak, others, cost).ifPresent(s -> text.append(' ').append(s));
        return Optional.of(text.toString());
    }

    /** Latency added over the baseline at the quoted fraction of its capacity, at the largest server count there. */
    private Optional<String> latencyAt(Variant peak, List<Variant> others, int cost) {
        double fraction = quoted(peak, cost);
        List<LatencyAdded> rows = results.latencyAdded().stream()
                .filter(l -> l.cost() == cost && Math.abs(l.fraction() - fraction) < 1e-9).toList();
        Optional<Integer> n = rows.stream().filter(l -> l.variant().equals(peak.id())).map(LatencyAdded::servers)
                .max(Integer::compare);
        if (n.isEmpty()) {
            return Optional.empty();
        }
        List<String> figures = new ArrayList<>();
        double rate = 0;
        for (Variant v : withPeak(peak, others)) {
            Optional<LatencyAdded> row = rows.stream().filter(l -> l.servers() == n.get() && l.variant().equals(v.id()))
                    .findFirst();
            if (row.isPresent()) {
                LatencyAdded l = row.get();
                rate = l.rate();
                figures.add(String.format(Locale.ROOT, "%s p50 %s / p99 %s ms%s%s", label(v), number(l.p50Ms()),
                        number(l.p99Ms()), l.addedP99Ms() == null ? "" : " (" + signed(l.addedP50Ms()) + " / "
                                + signed(l.addedP99Ms()) + " over direct)", l.passed() ? "" : " — not sustained"));
            }
        }
        return Optional.of(String.format(Locale.ROOT, "At %s the baseline's capacity (%s req/s, %d server%s), the %s: %s.",
                fraction == HALF ? "half" : percent(fraction) + " of", number(rate), n.get(), n.get() == 1 ? "" : "s",
                peak.withB() ? "transaction (token / k + call to B, "
                        + "against one /chain) took" : "request took", String.join("; ", figures)));
    }

    /** The cost of a request by component at the quoted fraction of the baseline's capacity. */
    private Optional<String> costAt(Variant peak, List<Variant> others, int cost) {
        double fraction = quoted(peak, cost);
        List<CostBreakdown> rows = results.costBreakdowns().stream()
                .filter(c -> c.cost() == cost && Math.abs(c.fraction() - fraction) < 1e-9).toList();
        Optional<Integer> n = rows.stream().filter(c -> c.variant().equals(peak.id())).map(CostBreakdown::servers)
                .max(Integer::compare);
        if (n.isEmpty()) {
            return Optional.empty();
        }
        List<String> figures = new ArrayList<>();
        for (Variant v : withPeak(peak, others)) {
            rows.stream().filter(c -> c.servers() == n.get() && c.variant().equals(v.id())).findFirst().ifPresent(c ->
                    figures.add(String.format(Locale.ROOT, "%s %s µs outside the servers for %s µs in them (tax %s)",
                            label(v), number(c.infrastructureUs()), number(c.serversUs()), percent(c.tax()))));
        }
        return Optional.of("CPU per " + (peak.withB() ? "transaction" : "request") + " there: " + String.join("; ", figures)
                + ".");
    }

    /** {@link #HALF}, or the highest fraction below it {@code peak} was measured at, at {@code cost}. */
    private double quoted(Variant peak, int cost) {
        return results.latencyAdded().stream().filter(l -> l.cost() == cost && l.variant().equals(peak.id()))
                .mapToDouble(LatencyAdded::fraction).filter(f -> f <= HALF + 1e-9).max().orElse(HALF);
    }

    /**
     * " on 0.6 CPU, limited by a-1's CPU quota (…)": what the variant's system was granted in all (each role has its
     * own budget, so variants of more roles run on more CPU), and the instance most stopped by its quota in the
     * lowest failed level above its maximum, where its capacity ran out; from its first repeat.
     */
    private String sizeAndLimit(Variant variant, int servers, int cost) {
        Optional<StaircaseRun> run = results.runs().stream()
                .filter(r -> r.variant().equals(variant.id()) && r.servers() == servers && r.cost() == cost).findFirst();
        if (run.isEmpty()) {
            return "";
        }
        StaircaseRun r = run.get();
        StringBuilder text = new StringBuilder();
        if (r.budgets().containsKey("server") && r.budgets().containsKey("proxy")) {
            // the generator's budget (1) is no part of the system's
            text.append(" on ").append(number(new CpuBudgets(r.budgets().get("server"), r.budgets().get("proxy"), 1)
                    .system(variant, servers, 1))).append(" CPU");
        }
        r.levels().stream().filter(l -> !l.passed() && l.mostThrottled() != null && r.maxSustainableRps() != null
                        && l.rate() > r.maxSustainableRps())
                .min(Comparator.comparingDouble(Level::rate))
                .ifPresent(l -> text.append(String.format(Locale.ROOT, ", limited by %s's CPU quota (stopped for %s of "
                        + "the failed level)", l.mostThrottled(), percent(l.throttledShare()))));
        return text.toString();
    }

    private String faults() {
        if (results.faults().isEmpty()) {
            return "No fault run in this profile.";
        }
        List<String> kinds = new ArrayList<>();
        for (FaultKind kind : FaultKind.values()) {
            List<FaultResult> of = results.faults().stream().filter(f -> f.fault().equals(kind)).toList();
            if (!of.isEmpty()) {
                kinds.add(kind + ": " + of.stream().map(f -> String.format(Locale.ROOT, "%s%s %d errors of %d over %s s, %s",
                        label(f.variant()), f.client() == Client.GATLING ? "" : " with " + f.client(), f.errors(), f.requests(), number(f.errorWindowS()), f.recoveryS() < 0
                                ? "not recovered before the run ended" : "recovered in " + number(f.recoveryS()) + " s"))
                        .collect(Collectors.joining("; ")));
            }
        }
        return "Faults: recovered means the first " + Metrics.RECOVERED_SECONDS + " consecutive seconds without a failed "
                + "request whose ok rate averages ≥ " + Math.round(Metrics.RECOVERED_SHARE * 100)
                + " % of the rate before the fault. " + String.join(". ", kinds) + ".";
    }

    // RQ2

    private String metrics() {
        List<String> separate = new ArrayList<>();
        List<String> same = new ArrayList<>();
        sort(separate, same, "throughput", pairs().stream().anyMatch(this::capacitySeparates));
        sort(separate, same, "latency added (p99 at the fixed rates, ≥ 10 % and ≥ 0.2 ms)",
                pairs().stream().anyMatch(this::latencySeparates));
        sort(separate, same, "CPU per request outside the servers (≥ 10 %)", pairs().stream().anyMatch(this::costSeparates));
        sort(separate, same, "balance (lowest Jain index, ≥ 0.02)", pairs().stream().anyMatch(this::balanceSeparates));
        sort(separate, same, "fault tolerance (errors ×2, or recovery ±1 s)", faultsSeparate());
        return "RQ2 — Which metrics compare PEAK with traditional systems? The suite measures the proposal's six: "
                + "latency (p50/p90/p99 of every level, and what each variant adds over the no-balancer baseline at "
                + "the same fixed rates), throughput (the highest level that keeps within the limits"
                + limitsText() + "), scalability (capacity against servers), balance (Jain's index of per-instance "
                + "requests), inner-service communication (RI2's transaction: the client-carried token against the "
                + "mesh's server-side call) and fault tolerance (errors, error window, time to recover), and besides "
                + "them the CPU each component spends per request, which is what carries to other scales. In this run "
                + (separate.isEmpty() ? "none of them" : String.join(", ", separate))
                + " separated PEAK from its counterparts" + (same.isEmpty() ? "" : "; " + String.join(", ", same)
                + " did not, or had no data") + ".";
    }

    private static void sort(List<String> separate, List<String> same, String metric, boolean separates) {
        (separates ? separate : same).add(metric);
    }

    private boolean capacitySeparates(Variant[] pair) {
        return results.capacities().stream().filter(c -> c.variant().equals(pair[0].id())).anyMatch(p ->
                capacity(pair[1], p.servers(), p.cost()).map(o -> conclusive(p, o)).orElse(false));
    }

    private boolean latencySeparates(Variant[] pair) {
        return results.latencyAdded().stream().filter(l -> l.variant().equals(pair[0].id())).anyMatch(p ->
                results.latencyAdded().stream().filter(o -> o.variant().equals(pair[1].id()) && o.servers() == p.servers()
                        && o.cost() == p.cost() && o.fraction() == p.fraction()).anyMatch(o ->
                        Math.abs(p.p99Ms() - o.p99Ms()) >= Math.max(0.2, 0.1 * Math.min(p.p99Ms(), o.p99Ms()))));
    }

    private boolean costSeparates(Variant[] pair) {
        return results.costBreakdowns().stream().filter(c -> c.variant().equals(pair[0].id())).anyMatch(p ->
                results.costBreakdowns().stream().filter(o -> o.variant().equals(pair[1].id()) && o.servers() == p.servers()
                        && o.cost() == p.cost() && o.fraction() == p.fraction()).anyMatch(o -> Math.abs(
                        p.infrastructureUs() - o.infrastructureUs()) >= 0.1 * Math.max(p.infrastructureUs(), o.infrastructureUs())));
    }

    private boolean balanceSeparates(Variant[] pair) {
        double a = lowestJain(pair[0]);
        double b = lowestJain(pair[1]);
        return !Double.isNaN(a) && !Double.isNaN(b) && Math.abs(a - b) >= 0.02;
    }

    private double lowestJain(Variant variant) {
        return results.runs().stream().filter(r -> r.variant().equals(variant.id()) && r.servers() >= 2 && r.balance() != null)
                .mapToDouble(r -> r.balance().jain()).min().orElse(Double.NaN);
    }

    private boolean faultsSeparate() {
        return results.faults().stream().anyMatch(f -> results.faults().stream()
                .filter(g -> g.fault().equals(f.fault()) || (f.fault().equals(FaultKind.KILL_DNS_REPLICA)
                        && g.fault().equals(FaultKind.KILL_PROXY)))
                .anyMatch(g -> Variant.find(f.variant()).map(v -> v.counterparts().stream()
                        .anyMatch(c -> c.id().equals(g.variant()))).orElse(false) && faultsDiffer(f, g)));
    }

    private static boolean faultsDiffer(FaultResult a, FaultResult b) {
        boolean errors = Math.max(a.errors(), b.errors()) >= 10
                && Math.max(a.errors(), b.errors()) >= 2 * Math.min(a.errors(), b.errors());
        boolean recovered = (a.recoveryS() < 0) != (b.recoveryS() < 0);
        boolean recovery = a.recoveryS() >= 0 && b.recoveryS() >= 0 && Math.abs(a.recoveryS() - b.recoveryS()) >= 1;
        return errors || recovered || recovery;
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
        if (plan.get("quotaStopShare") instanceof Number share) {
            limits.add(String.format(Locale.ROOT, "no instance stopped by its CPU quota for over %s %% of the level",
                    number(share.doubleValue() * 100)));
        }
        return limits.isEmpty() ? "" : ": " + String.join(", ", limits);
    }

    // RQ3

    private String scaling() {
        String miniature = results.manifest() == null || results.manifest().miniature().isEmpty() ? ""
                : " (miniature mode: budgets shrunk by " + results.manifest().miniature() + ", so these are the scaling of "
                + "small servers)";
        List<String> parts = new ArrayList<>();
        for (Scaling s : results.scaling()) {
            parts.add(String.format(Locale.ROOT, "%s at cost %d %s (%d→%d servers: throughput ×%s%s)", label(s.variant()),
                    s.cost(), number(s.efficiency()), s.fromServers(), s.toServers(), number(s.gain()),
                    s.lowerBound() ? "; a lower bound: something other than the system stopped the largest count" : ""));
        }
        String measured = parts.isEmpty()
                ? "Not measured: no variant ran at two server counts in this profile (run --profile full, or --miniature "
                + "with --servers 1,2,3,4 to fit them on a small machine)."
                : "Scaling efficiency (1 = throughput grows in proportion to servers)" + miniature + ": "
                + String.join("; ", parts) + ".";
        return "RQ3 — How does PEAK scale compared to traditional systems? " + measured;
    }

    /**
     * What the costs imply beyond the servers measured, labelled as a model: a proxy of budget P saturates at
     * P / (its CPU per request), whatever the servers behind it; PEAK's DNS pays once per session per TTL. Costs
     * are taken at the highest fixed rate, the closest to saturation, and are still upper bounds there (idle
     * wake-ups amortise as load grows): so the ceilings are lower bounds, the same way for every variant.
     */
    private String ceilings() {
        List<String> parts = new ArrayList<>();
        Map<String, Double> budgets = results.manifest() == null ? Map.of() : results.manifest().cpuBudgets();
        Double proxy = budgets.get("proxy");
        Double server = budgets.get("server");
        if (proxy == null || server == null) {
            return "";
        }
        double highest = results.costBreakdowns().stream().mapToDouble(CostBreakdown::fraction).max().orElse(HALF);
        for (CostBreakdown c : results.costBreakdowns()) {
            if (Math.abs(c.fraction() - highest) > 1e-9) {
                continue;
            }
            Variant v = Variant.find(c.variant()).orElse(null);
            if (v == null || v.isBaseline() || c.infrastructureUs() <= 0 || c.serversUs() <= 0) {
                continue;
            }
            double perProxy = v.entry() == Variant.Entry.MESH ? c.byRole().getOrDefault("ingress", 0.0)
                    : v.isPeak() ? c.byRole().getOrDefault("peak-dns", 0.0) : c.byRole().getOrDefault("proxy", 0.0);
            if (perProxy <= 0) {
                continue;
            }
            double ceiling = proxy / (perProxy / 1e6);
            // what one server (RI2: one A and one B) sustains, from the servers' own CPU per request
            double perServer = (v.withB() ? 2 : 1) * server / (c.serversUs() / 1e6);
            parts.add(String.format(Locale.ROOT, "%s at cost %d: its %s needs %s µs per request, so one of %s CPU "
                            + "saturates at no less than %s req/s, the capacity of about %s %s of %s CPU", label(v), c.cost(),
                    v.isPeak() ? "peak-dns replica" : v.entry() == Variant.Entry.MESH ? "ingress" : "proxy",
                    number(perProxy), number(proxy), number(ceiling), number(ceiling / perServer),
                    v.withB() ? "A+B pairs" : "servers", number(server)));
        }
        return parts.isEmpty() ? "" : String.format(Locale.ROOT, "Modelled ceilings: from the costs measured at %s %% "
                + "of the baseline's capacity, not measured at that scale (costs at moderate load include wake-ups that "
                + "amortise under load, so every ceiling is a lower bound): %s.", number(100 * highest),
                String.join("; ", parts));
    }

    // Limits

    private String limits() {
        List<String> limits = new ArrayList<>();
        long bound = levels(l -> Verdict.GENERATOR_BOUND.equals(l.verdict()));
        limits.add(bound == 0 ? "no level was generator-bound" : bound + " level(s) were generator-bound: the load "
                + "generator ran out of CPU first, so the maxima they end are lower bounds, never counted as the system failing");
        long throttled = levels(l -> l.passed() && l.throttled());
        if (throttled > 0) {
            limits.add(throttled + " passing level(s) had an instance throttled in more than 1 % of its CFS periods: "
                    + "their p99 may be set by the quota's stalls (marked in the tables)");
        }
        if (!results.skipped().isEmpty()) {
            limits.add("not measured: " + results.skipped().stream().map(s -> label(s.variant()) + " at " + s.servers()
                    + " server" + (s.servers() == 1 ? "" : "s") + " (" + s.reason() + ")").collect(Collectors.joining("; ")));
        }
        int repeats = results.runs().stream().mapToInt(StaircaseRun::repeat).max().orElse(0);
        if (repeats < 2 && !results.runs().isEmpty()) {
            limits.add("each staircase ran once, so no capacity difference here is conclusive: " + ONE_RUN_SPREAD
                    + "; rank variants on repeats (the full profile's median of 3)");
        }
        boolean onKubernetes = onKubernetes();
        if (!onKubernetes && results.runs().stream().anyMatch(r -> r.variant().equals(Variant.RI2_MESH.id()))) {
            limits.add("the mesh is a sidecar emulation (HAProxy sidecars with mutual TLS on Istio's data path), not "
                    + "Istio's Envoy: its per-hop cost may differ from a real mesh's");
        }
        if (results.runs().stream().anyMatch(r -> r.variant().equals(Variant.RI2_MESH.id()) && r.cost() > 0)) {
            limits.add("in RI2 the mesh's A does its work (cost) on every /chain while PEAK's A signs one token per session: "
                    + "at a cost above 0 the mesh does more application work per transaction, which cost 0 leaves out");
        }
        if (ran(v -> v.entry() == Variant.Entry.DIRECT || v.entry() == Variant.Entry.DNS)
                && ran(v -> v.entry() == Variant.Entry.HAPROXY || v.entry() == Variant.Entry.NGINX)) {
            limits.add("clients that reach the servers themselves (direct, PEAK) open a connection per session, while "
                    + "a proxy keeps its connections to the servers open across sessions: the servers' CPU per request "
                    + "includes that difference, which shrinks as sessions get longer");
        }
        if (!onKubernetes && !results.costs().isEmpty()) {
            limits.add("costs are read from each instance's cgroup; on loopback a sender also pays the kernel's delivery "
                    + "of what it sends, so each hop's kernel cost is split between its two ends");
        }
        if (ran(Variant::isPeak)) {
            limits.add("PEAK gives every client each server's own address, where a proxy stood in front of them: a flood "
                    + "aimed at one server, or a scan of the servers' addresses, meets that server alone. That cost of PEAK "
                    + "is not measured here; the suite's defences are load shedding in the services (on by default), "
                    + "response rate limiting in peak-dns (off by default, and off in these runs unless configured), and a "
                    + "registry that takes writes only with credentials, for allowed prefixes");
        }
        String enforcement = results.manifest() == null ? null : results.manifest().cpuEnforcement();
        if (enforcement != null && enforcement.contains("taskset")) {
            limits.add("CPU budgets were pinned with taskset, which cannot enforce a fraction of a core");
        }
        return "Limits of this run: " + String.join("; ", limits) + ".";
    }

    // Figures

    /** Whether a variant {@code which} accepts has a run here. */
    private boolean ran(Predicate<Variant> which) {
        return results.runs().stream().anyMatch(r -> Variant.find(r.variant()).filter(which).isPresent());
    }

    private long levels(Predicate<Level> which) {
        return results.runs().stream().flatMap(r -> r.levels().stream()).filter(which).count();
    }

    private TreeSet<Integer> costs() {
        return results.capacities().stream().map(Capacity::cost).collect(Collectors.toCollection(TreeSet::new));
    }

    private List<Capacity> capacities(Variant variant, int cost) {
        return results.capacities().stream().filter(c -> c.variant().equals(variant.id()) && c.cost() == cost).toList();
    }

    private Optional<Capacity> capacity(Variant variant, int servers, int cost) {
        return results.capacities().stream()
                .filter(c -> c.variant().equals(variant.id()) && c.servers() == servers && c.cost() == cost).findFirst();
    }

    private static List<Variant> withPeak(Variant peak, List<Variant> others) {
        List<Variant> all = new ArrayList<>(List.of(peak));
        all.addAll(others);
        return all;
    }

    /** PEAK variants against their counterparts: {peak, counterpart}. */
    private List<Variant[]> pairs() {
        List<Variant[]> pairs = new ArrayList<>();
        for (Variant peak : List.of(Variant.RI1_PEAK, Variant.RI2_PEAK)) {
            for (Variant other : peak.counterparts()) {
                pairs.add(new Variant[]{peak, other});
            }
        }
        return pairs;
    }

    private static String value(Capacity c, String unit) {
        return (c.lowerBound() ? "≥ " : "") + number(c.maxRps()) + " " + unit
                + (c.repeats() > 1 ? String.format(Locale.ROOT, " (spread %s over %d repeats)", percent(c.spread()), c.repeats()) : "");
    }

    /** "1.07×, a tie" or "1.30×, beyond the repeats' spread" … */
    private static String compare(Capacity a, Capacity b) {
        if (b.maxRps() <= 0) {
            return "—";
        }
        String ratio = String.format(Locale.ROOT, "%.2f×", a.maxRps() / b.maxRps());
        String why;
        if (isTie(a.maxRps(), b.maxRps())) {
            why = "a tie (within " + Math.round(TIE * 100) + " %)";
        } else if (a.maxRps() < b.maxRps() && a.lowerBound()) {
            why = "inconclusive: PEAK's maximum is a lower bound";
        } else if (a.maxRps() > b.maxRps() && b.lowerBound()) {
            why = "inconclusive: the counterpart's maximum is a lower bound";
        } else if (a.repeats() < 2 || b.repeats() < 2) {
            why = "inconclusive: one repeat (see the limits)";
        } else if (a.spread() * a.maxRps() + b.spread() * b.maxRps() >= Math.abs(a.maxRps() - b.maxRps())) {
            why = "inconclusive: inside the repeats' spread";
        } else {
            why = "beyond the repeats' spread";
        }
        return ratio + ", " + why;
    }

    private static boolean conclusive(Capacity a, Capacity b) {
        return !compare(a, b).contains("tie") && !compare(a, b).contains("inconclusive") && b.maxRps() > 0;
    }

    private static boolean isTie(double a, double b) {
        return a == b || Math.abs(a - b) < TIE * Math.min(a, b);
    }

    private boolean onKubernetes() {
        return results.manifest() != null && "kubernetes".equals(String.valueOf(results.manifest().plan().get("platform")));
    }

    private String label(Variant variant) {
        return variant.label(onKubernetes());
    }

    private String label(String variant) {
        return Variant.find(variant).map(this::label).orElse(variant);
    }

    private static String signed(Double ms) {
        return ms == null ? "n/a" : (ms >= 0 ? "+" : "−") + number(Math.abs(ms));
    }

    private static String percent(double fraction) {
        return number(100 * fraction) + " %";
    }

    /** Three significant digits at most, no trailing zeros: 1500, 98.2, 1.25, 0.0431. */
    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "n/a";
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
