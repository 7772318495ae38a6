package dev.peak.driver.experiment;

import java.nio.file.Path;
import java.util.List;

import dev.peak.driver.lab.CpuBudgets;

/**
 * One experiment: the profile and the parts of the plan every variant shares (DESIGN §6: same client
 * model, CPU budgets and SLO for all).
 *
 * @param k            requests per client session
 * @param cost         work per request (chained SHA-256 iterations): the server CPU each request costs
 * @param errorLimit   a step fails above this error rate
 * @param sloMs        a step fails when the primary call's p99 is above this
 * @param faultFraction the fault runs' rate as a fraction of the measured capacity
 * @param resultsDir   results/<UTC time>/
 */
public record ExperimentOptions(Profile profile, List<BenchVariant> variants, int k, int cost, double errorLimit,
                                double sloMs, boolean faults, double faultFraction, CpuBudgets budgets,
                                Path projectRoot, Path resultsDir, String commandLine) {

    public ExperimentOptions {
        if (k < 1 || k > 1000) {
            throw new IllegalArgumentException("--k must be between 1 and 1000, not " + k);
        }
        if (cost < 0 || cost > 100_000) {
            throw new IllegalArgumentException("--cost must be between 0 and 100000, not " + cost);
        }
        if (!(errorLimit >= 0 && errorLimit < 1)) {
            throw new IllegalArgumentException("--error-limit must be in [0, 1), not " + errorLimit);
        }
        if (!(sloMs > 0)) {
            throw new IllegalArgumentException("--slo-ms must be positive, not " + sloMs);
        }
        if (!(faultFraction > 0 && faultFraction <= 1)) {
            throw new IllegalArgumentException("--fault-fraction must be in (0, 1], not " + faultFraction);
        }
        if (variants.isEmpty()) {
            throw new IllegalArgumentException("--variants names no variant");
        }
    }

    /** The client model every variant is measured with, as the report states it. */
    public String clientModel() {
        return "open workload model, Poisson arrivals of client sessions at one constant rate per step; "
                + "a session is RI1: " + k + " × GET /work?cost=" + cost + " on one keep-alive connection; "
                + "RI2-PEAK: POST /token at A, then " + k + " × GET /work at B with the token; "
                + "mesh: " + k + " × GET /chain?cost=" + cost + " at the ingress; PEAK variants resolve names at "
                + "peak-dns per session and honour the TTL. Rates are primary requests per second "
                + "(RI1 /work, RI2-PEAK B's /work, mesh /chain).";
    }
}
