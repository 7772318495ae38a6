package dev.peak.driver.results;

import java.util.Set;

/**
 * One constant-arrival-rate run of a staircase ("step").
 *
 * @param rate          offered primary requests per second: RI1 /work, RI2-PEAK B's /work, mesh /chain (one
 *                      transaction each; sessions of k such calls arrive at rate / k per second)
 * @param achievedRps   completed requests per second
 * @param verdict       {@link #PASS}, {@link #ERRORS} (error rate over the limit), {@link #LATENCY} (p99 over the
 *                      SLO) or {@link #GENERATOR_BOUND} (the load generator, not the system, was the limit: never
 *                      counted as the system failing); see {@link Metrics#verdict}
 * @param passed        {@code verdict.equals("pass")}
 * @param generatorCpu  the load generator's CPU-seconds per second during the step
 * @param gatlingReport the step's Gatling HTML report, relative to the results folder, or null
 */
public record Step(double rate, double achievedRps, long ok, long ko, double p50Ms, double p95Ms, double p99Ms,
                   double maxMs, boolean passed, String verdict, double generatorCpu, String gatlingReport) {

    public static final String PASS = "pass";
    public static final String ERRORS = "errors";
    public static final String LATENCY = "latency";
    public static final String GENERATOR_BOUND = "generator-bound";

    private static final Set<String> VERDICTS = Set.of(PASS, ERRORS, LATENCY, GENERATOR_BOUND);

    public Step {
        if (!VERDICTS.contains(verdict)) {
            throw new IllegalArgumentException("unknown verdict '" + verdict + "': use one of " + VERDICTS);
        }
        if (passed != verdict.equals(PASS)) {
            throw new IllegalArgumentException("passed=" + passed + " contradicts verdict '" + verdict + "'");
        }
    }
}
