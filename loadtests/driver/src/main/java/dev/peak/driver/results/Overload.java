package dev.peak.driver.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.peak.measurement.Latency;
import dev.peak.measurement.LevelMeasurement;

/**
 * What an overload run ({@code scale.sh overload}) found: a server offered a multiple of its capacity for a while,
 * then its normal load again. Every figure counts requests by the second in which they were sent, each followed to
 * its end.
 *
 * @param capacity       the capacity the run was told (primary requests/s)
 * @param baseline       the steady seconds before the overload, at {@code baseRate}
 * @param overload       the overload's seconds together, at {@code overloadRate}
 * @param timeline       every second from the start of the overload to the end of the run
 * @param overloadS      how long the overload lasted
 * @param recoveryS      seconds from the end of the overload to the first second of {@value #NORMAL_SECONDS} in a
 *                       row that answered normally, {@link Metrics#NOT_RECOVERED} if none did before the run ended
 * @param shedding       the servers' shedding settings the run set ({@code peak.http.max-in-flight},
 *                       {@code peak.http.max-event-loop-delay}); empty when they ran with their own
 */
public record Overload(String variant, int servers, double cpusPerServer, int cost, int k, double capacity,
                       double baseRate, double overloadRate, Map<String, String> shedding, Phase baseline, Phase overload,
                       int overloadS, List<OverloadSecond> timeline, double recoveryS) {

    /** A second answers normally when none of its requests failed and its p99 is at most this multiple of the baseline's. */
    static final double NORMAL_P99_FACTOR = 2;
    /** ...or at most this much above it, whichever is larger: at a sub-millisecond p99 a factor means nothing. */
    static final double NORMAL_P99_SLACK_MS = 2;
    /** Consecutive normal seconds that make a recovery: one good second may be a lull between bursts. */
    static final int NORMAL_SECONDS = 2;

    /**
     * Requests sent during a phase, and how they ended.
     *
     * @param timedOut failed without being shed: timeouts, refused or reset connections
     * @param accepted latency of the requests answered well (200)
     */
    public record Phase(double seconds, long sent, long ok, long shed, long timedOut, Percentiles accepted) {

        public static Phase of(List<LevelMeasurement> seconds, String primary) {
            long ok = 0;
            long ko = 0;
            long shed = 0;
            double length = 0;
            List<Latency> latencies = new ArrayList<>();
            for (LevelMeasurement m : seconds) {
                ok += m.requests().ok();
                ko += m.requests().ko();
                shed += m.requests().shed();
                length += m.windowSeconds();
                latencies.add(m.call(primary));
            }
            return new Phase(length, ok + ko, ok, shed, ko - shed, Percentiles.of(Latency.sum(latencies)));
        }

        /** Requests answered well per second of the phase. */
        public double goodput() {
            return seconds <= 0 ? 0 : ok / seconds;
        }
    }

    /** One second of the run: {@code t} counts from the start of the overload, the first second 0. */
    public record OverloadSecond(int t, long ok, long shed, long timedOut, double p99Ms) {
    }

    /**
     * The run's figures from its per-second measurements.
     *
     * @param baseline  the seconds at the base rate before the overload
     * @param overload  the overload's seconds
     * @param after     the seconds at the base rate after it
     */
    public static Overload of(String variant, int servers, double cpusPerServer, int cost, int k, double capacity,
                              double baseRate, double overloadRate, Map<String, String> shedding, String primary,
                              List<LevelMeasurement> baseline, List<LevelMeasurement> overload,
                              List<LevelMeasurement> after) {
        Phase base = Phase.of(baseline, primary);
        List<OverloadSecond> timeline = new ArrayList<>();
        int t = 0;
        for (LevelMeasurement m : overload) {
            timeline.add(second(t++, m, primary));
        }
        for (LevelMeasurement m : after) {
            timeline.add(second(t++, m, primary));
        }
        return new Overload(variant, servers, cpusPerServer, cost, k, capacity, baseRate, overloadRate, shedding,
                base, Phase.of(overload, primary), overload.size(), timeline,
                recoverySeconds(timeline, overload.size(), base.accepted().p99Ms()));
    }

    /**
     * The highest p99 that is still normal next to {@code baselineP99Ms}: {@value #NORMAL_P99_FACTOR} × it, or
     * {@value #NORMAL_P99_SLACK_MS} ms above it, whichever is larger.
     */
    public static double normalP99Ms(double baselineP99Ms) {
        return Math.max(NORMAL_P99_FACTOR * baselineP99Ms, baselineP99Ms + NORMAL_P99_SLACK_MS);
    }

    private static OverloadSecond second(int t, LevelMeasurement m, String primary) {
        return new OverloadSecond(t, m.requests().ok(), m.requests().shed(), m.requests().ko() - m.requests().shed(),
                m.call(primary).p99Ms());
    }

    /**
     * Seconds from {@code end} (the first second after the overload) to the first of {@value #NORMAL_SECONDS} normal
     * seconds in a row: nothing failed, something was answered, and the p99 is within {@value #NORMAL_P99_FACTOR} ×
     * the baseline's or {@value #NORMAL_P99_SLACK_MS} ms above it. {@link Metrics#NOT_RECOVERED} if the run ended
     * first.
     */
    static double recoverySeconds(List<OverloadSecond> timeline, int end, double baselineP99Ms) {
        double bound = normalP99Ms(baselineP99Ms);
        int run = 0;
        for (OverloadSecond s : timeline) {
            if (s.t() < end) {
                continue;
            }
            boolean normal = s.ok() > 0 && s.shed() == 0 && s.timedOut() == 0 && s.p99Ms() <= bound;
            run = normal ? run + 1 : 0;
            if (run == NORMAL_SECONDS) {
                return s.t() - NORMAL_SECONDS + 1 - end;
            }
        }
        return Metrics.NOT_RECOVERED;
    }
}
