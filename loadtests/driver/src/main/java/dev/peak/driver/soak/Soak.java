package dev.peak.driver.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import dev.peak.driver.results.Overload;
import dev.peak.measurement.LevelMeasurement;

/**
 * What a soak ({@code scale.sh soak}) of one variant found: a fixed load for a long while, and every instance's
 * footprint and the requests' p99 and errors sampled at each interval. The checks set the first {@code window}
 * samples against the last {@code window}: a leak, a creeping queue or a rising error rate shows there as growth.
 *
 * @param capacitySource where {@code capacity} came from: a results folder, or the command line
 * @param rate           the offered rate, primary requests/s
 * @param planned        samples the run was to take; {@code samples} holds fewer when it was interrupted
 * @param checks         empty until there are 2 × {@code window} samples
 * @param passed         whether every check held; null until the run took every planned sample
 */
public record Soak(String variant, int servers, double cpusPerServer, int cost, int k, double capacity,
                   String capacitySource, double rate, int intervalS, int window, int planned, List<Sample> samples,
                   List<Check> checks, Boolean passed) {

    /** The heap after GC may grow by this fraction between the first and last windows... */
    static final double HEAP_GROWTH = 0.25;
    /**
     * ...or by this much, whichever is larger. What survives a collection moves with B's verified-token cache and
     * with the connections open at that moment (B's ranged over 17 to 27 MiB from one minute to the next, measured);
     * a leak of 1 KiB per request passes this within a minute at the soak's rates.
     */
    static final long HEAP_SLACK_BYTES = 16L << 20;
    /** Resident memory may grow by this fraction... */
    static final double RSS_GROWTH = 0.20;
    /**
     * ...or by this much: a JVM's resident memory rises for a while after its warm-up as it first touches pages of
     * its committed heap and its code cache fills, which is not a leak.
     */
    static final long RSS_SLACK_BYTES = 32L << 20;
    /** Open descriptors may grow by this fraction... */
    static final double FD_GROWTH = 0.10;
    /** ...or by this many: each is one connection, and the client sessions that are open at a sample vary. */
    static final long FD_SLACK = 32;
    /**
     * Neither window may fail more than this share of its requests: at 70 % of its capacity a system answers every
     * request, and a failure rate that grows from 0 has no ratio to be bounded by.
     */
    static final double MAX_ERROR_RATE = 0.001;
    private static final double MIB = 1 << 20;

    /** One interval: the requests sent in it, each followed to its end, and every instance's footprint at its end. */
    public record Sample(int n, double seconds, long sent, long failed, double p99Ms, Map<String, Footprint> instances) {
    }

    /** One figure of the first window against the last, and the highest the last may be. */
    public record Check(String what, String instance, double first, double last, double limit, boolean passed) {

        static Check of(String what, String instance, double first, double last, double limit) {
            return new Check(what, instance, first, last, limit, last <= limit);
        }
    }

    /**
     * The soak's figures so far.
     *
     * @param measured   every interval's measurement, in order
     * @param footprints every instance's footprint at the end of each interval, in the same order
     */
    public static Soak of(Settings settings, List<LevelMeasurement> measured, List<Map<String, Footprint>> footprints) {
        String primary = settings.primaryCall();
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < measured.size(); i++) {
            LevelMeasurement m = measured.get(i);
            samples.add(new Sample(i + 1, m.windowSeconds(), m.requests().total(), m.requests().ko(),
                    m.call(primary).p99Ms(), footprints.get(i)));
        }
        int w = settings.window();
        List<Check> checks = new ArrayList<>();
        if (samples.size() >= 2 * w) {
            List<LevelMeasurement> first = measured.subList(0, w);
            List<LevelMeasurement> last = measured.subList(measured.size() - w, measured.size());
            double firstP99 = Overload.Phase.of(first, primary).accepted().p99Ms();
            checks.add(Check.of("p99 ms", "", firstP99, Overload.Phase.of(last, primary).accepted().p99Ms(),
                    Overload.normalP99Ms(firstP99)));
            // both windows: a soak whose start already failed requests ran past its capacity, and compares nothing
            double firstErrors = errorRate(first);
            double lastErrors = errorRate(last);
            checks.add(new Check("error rate", "", firstErrors, lastErrors, MAX_ERROR_RATE,
                    Math.max(firstErrors, lastErrors) <= MAX_ERROR_RATE));
            List<Sample> head = samples.subList(0, w);
            List<Sample> tail = samples.subList(samples.size() - w, samples.size());
            for (String instance : footprints.get(footprints.size() - 1).keySet()) {
                checks.add(growth("RSS MiB", instance, head, tail, Footprint::rssBytes, MIB, RSS_GROWTH,
                        RSS_SLACK_BYTES));
                if (tail.stream().allMatch(s -> heap(s, instance) != null)
                        && head.stream().anyMatch(s -> heap(s, instance) != null)) {
                    checks.add(growth("heap after GC MiB", instance, head, tail, Footprint::heapAfterGcBytes, MIB,
                            HEAP_GROWTH, HEAP_SLACK_BYTES));
                }
                checks.add(growth("open fds", instance, head, tail, Footprint::fds, 1, FD_GROWTH, FD_SLACK));
            }
        }
        Boolean passed = samples.size() < settings.planned() ? null : checks.stream().allMatch(Check::passed);
        return new Soak(settings.variant(), settings.servers(), settings.cpusPerServer(), settings.cost(), settings.k(),
                settings.capacity(), settings.capacitySource(), settings.rate(), settings.intervalS(), w,
                settings.planned(), samples, checks, passed);
    }

    /** What stays the same for a whole soak of one variant. */
    public record Settings(String variant, String primaryCall, int servers, double cpusPerServer, int cost, int k,
                           double capacity, String capacitySource, double rate, int intervalS, int window, int planned) {
    }

    private static Long heap(Sample s, String instance) {
        Footprint f = s.instances().get(instance);
        return f == null ? null : f.heapAfterGcBytes();
    }

    private static double errorRate(List<LevelMeasurement> window) {
        long total = window.stream().mapToLong(m -> m.requests().total()).sum();
        long failed = window.stream().mapToLong(m -> m.requests().ko()).sum();
        return total == 0 ? 0 : (double) failed / total;
    }

    /**
     * The mean of {@code figure} (null where the instance has none yet) over the first and last windows, divided by
     * {@code unit}; the last may exceed the first by {@code fraction} of it or by {@code slack}, whichever is larger.
     */
    private static Check growth(String what, String instance, List<Sample> head, List<Sample> tail,
                                Function<Footprint, Long> figure, double unit, double fraction, double slack) {
        double first = mean(head, instance, figure) / unit;
        return Check.of(what, instance, first, mean(tail, instance, figure) / unit,
                first + Math.max(first * fraction, slack / unit));
    }

    private static double mean(List<Sample> window, String instance, Function<Footprint, Long> figure) {
        return window.stream().map(s -> s.instances().get(instance)).filter(Objects::nonNull).map(figure)
                .filter(Objects::nonNull).mapToDouble(Long::doubleValue).average().orElse(0);
    }
}
