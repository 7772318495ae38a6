package dev.peak.driver.experiment;

import java.nio.file.Path;
import java.util.List;

import dev.peak.driver.cpu.CpuBudgets;
import dev.peak.driver.cpu.CpuEnforcement;
import dev.peak.driver.variant.Variant;

/**
 * One experiment: the profile and the parts of the plan every variant shares (same client model, CPU budgets and
 * SLO for all).
 *
 * @param k             requests per client session
 * @param errorLimit    a level fails above this error rate
 * @param sloMs         a level fails when the primary call's p99 is above this
 * @param faultFraction the fault runs' rate as a fraction of the measured capacity
 * @param miniature     shrink the system's budgets, ratios kept, so that the profile's largest server count fits
 * @param resultsDir    results/<UTC time>/
 */
public record ExperimentOptions(Profile profile, List<Variant> variants, int k, double errorLimit, double sloMs,
                                boolean faults, double faultFraction, CpuBudgets budgets, CpuEnforcement enforcement,
                                boolean miniature, Path projectRoot, Path resultsDir, String commandLine) {

    public ExperimentOptions {
        if (k < 1 || k > 1000) {
            throw new IllegalArgumentException("--k must be between 1 and 1000, not " + k);
        }
        for (int cost : profile.costs()) {
            if (cost < 0 || cost > 100_000) {
                throw new IllegalArgumentException("--costs must be between 0 and 100000, not " + cost);
            }
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
        return "open workload model: client sessions arrive as a Poisson process, each on its own keep-alive connection; "
                + "a session is RI1: " + k + " × GET /work?cost=C; RI2 PEAK: POST /token at A, then " + k
                + " × GET /work at B with the token; mesh: " + k + " × GET /chain?cost=C at the ingress. PEAK clients "
                + "resolve names at peak-dns through one shared stub resolver, each session keeping its answer for the "
                + "TTL. One warm generator per staircase; the offered rate of each level is set by thinning a Poisson "
                + "stream of users. Rates are primary requests per second (RI1 /work, RI2 PEAK B's /work, mesh /chain).";
    }
}
