package dev.peak.driver.results;

import java.util.List;
import java.util.Map;

/**
 * One constant-rate level of a staircase, measured in a warm generator after its settling seconds.
 *
 * @param kind          {@code fixed} (a fraction of the baseline's capacity, for latency comparisons), {@code climb},
 *                      {@code confirm} (a failure run again), {@code refine} (a bisection), or {@code check} (the
 *                      enforcement check: the same fixed rate under the kernel's default CFS period)
 * @param fraction      for fixed levels, the fraction of the baseline's capacity this rate is
 * @param rate          offered primary requests per second: RI1 /work, RI2 PEAK B's /work, mesh /chain (sessions
 *                      of k such calls arrive at rate / k per second)
 * @param achievedRps   primary requests that ended in the window, per second
 * @param shed          of the {@code ko}, those a server refused at once for being overloaded (503 with
 *                      {@code Retry-After}); 0 in results written before the bench told them apart
 * @param primary       latency of the primary call; {@code calls} has every kind, {@code transaction} and
 *                      {@code session} included
 * @param verdict       how the level ended; see {@link Metrics#verdict}
 * @param generatorCpu  the generator's CPUs used during the window (CPU-seconds per second)
 * @param throttledShare the largest share of the window for which one instance of the system was stopped by its
 *                      CFS quota ({@code mostThrottled} names it)
 * @param flags         {@link #THROTTLED}: some instance was stopped for more than 1 % of the window, enough to set
 *                      a p99; {@link #COMPILING}: the system's JIT compilers used more than 2 % of a CPU meanwhile
 */
public record Level(int index, String kind, Double fraction, double rate, double achievedRps, long ok, long ko,
                    long shed, long sessions, Percentiles primary, Verdict verdict, boolean passed, double generatorCpu,
                    double throttledShare, String mostThrottled, List<String> flags, Map<String, Percentiles> calls,
                    Map<String, Long> perInstance) {

    public static final String THROTTLED = "throttled";
    /** The system's JIT compilers were at work during the level: a quota it ran out of may be theirs. */
    public static final String COMPILING = "compiling";

    public static final String FIXED = "fixed";
    public static final String CHECK = "check";

    public Level {
        if (passed != (verdict == Verdict.PASS)) {
            throw new IllegalArgumentException("passed=" + passed + " contradicts verdict '" + verdict + "'");
        }
        if (shed < 0 || shed > ko) {
            throw new IllegalArgumentException("shed=" + shed + " is not within the failed requests (ko=" + ko + ")");
        }
        flags = flags == null ? List.of() : flags;
        calls = calls == null ? Map.of() : calls;
        perInstance = perInstance == null ? Map.of() : perInstance;
        primary = primary == null ? Percentiles.EMPTY : primary;
    }

    public double errorRate() {
        return ok + ko == 0 ? 0 : (double) ko / (ok + ko);
    }

    public boolean throttled() {
        return flags.contains(THROTTLED);
    }

    public boolean compiling() {
        return flags.contains(COMPILING);
    }
}
