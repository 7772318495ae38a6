package dev.peak.driver.results;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The metric math of the report: balance, scaling, verdicts, fault recovery, medians and spread. */
public final class Metrics {

    /** {@link #recoverySeconds} when the ok rate was not back before the run ended. */
    public static final double NOT_RECOVERED = -1;

    /** The share of the baseline ok rate that counts as recovered. */
    static final double RECOVERED_SHARE = 0.8;

    /**
     * Recovery is judged on the mean of this many consecutive seconds: one good second may be a blip, and
     * sessions of k requests arrive in bursts that make single seconds uneven at low rates.
     */
    static final int RECOVERED_SECONDS = 2;

    private Metrics() {
    }

    /**
     * Jain's fairness index (Σx)² / (n·Σx²): 1 when every instance served the same, 1/n when one served all.
     * 1.0 for a single instance, for no instance and when every count is 0 (nothing was uneven).
     */
    public static double jain(Collection<Long> counts) {
        double sum = 0;
        double squares = 0;
        for (long c : counts) {
            sum += c;
            squares += (double) c * c;
        }
        return squares == 0 ? 1.0 : sum * sum / (counts.size() * squares);
    }

    /** Population standard deviation / mean of the counts; 0 for no instance and when every count is 0. */
    public static double coefficientOfVariation(Collection<Long> counts) {
        if (counts.isEmpty()) {
            return 0;
        }
        double mean = counts.stream().mapToLong(Long::longValue).average().orElse(0);
        if (mean == 0) {
            return 0;
        }
        double variance = counts.stream().mapToDouble(c -> (c - mean) * (c - mean)).sum() / counts.size();
        return Math.sqrt(variance) / mean;
    }

    /**
     * Scaling efficiency from the smallest server count n₀ to the largest n₁ measured:
     * (X(n₁) / X(n₀)) / (n₁ / n₀), where X is the max sustainable throughput. 1 = linear (twice the servers,
     * twice the throughput), 1/(n₁/n₀) = no gain at all, above 1 = superlinear. NaN with fewer than two server
     * counts or when X(n₀) is not positive: there is nothing to scale from.
     */
    public static double scalingEfficiency(Map<Integer, Double> maxRpsByServers) {
        TreeMap<Integer, Double> byServers = new TreeMap<>(maxRpsByServers);
        if (byServers.size() < 2 || byServers.firstEntry().getValue() <= 0) {
            return Double.NaN;
        }
        double gain = byServers.lastEntry().getValue() / byServers.firstEntry().getValue();
        double servers = (double) byServers.lastKey() / byServers.firstKey();
        return gain / servers;
    }

    /**
     * The verdict of one step. A saturated generator comes first: its own queueing shows up as latency and
     * timeouts, so that step says nothing about the system whatever its error rate or p99. Then an error rate
     * over the limit ({@link Verdict#SHEDDING} when at least half the failed requests were shed, the {@code shedRate}
     * share of all), then a p99 over the SLO (a value equal to its limit passes), then a system that fell
     * {@code behind}: the generator started the sessions, but their requests did not end at the offered rate; then
     * an instance that ran out of CPU ({@code exhausted}: stopped by its quota for much of the window).
     */
    public static Verdict verdict(double errorRate, double shedRate, double errorLimit, double p99Ms, double sloMs,
                                 boolean generatorBound, boolean behind, boolean exhausted) {
        if (generatorBound) {
            return Verdict.GENERATOR_BOUND;
        }
        if (errorRate > errorLimit) {
            return 2 * shedRate >= errorRate ? Verdict.SHEDDING : Verdict.ERRORS;
        }
        if (p99Ms > sloMs) {
            return Verdict.LATENCY;
        }
        if (behind) {
            return Verdict.THROUGHPUT;
        }
        if (exhausted) {
            return Verdict.QUOTA;
        }
        return Verdict.PASS;
    }

    /**
     * Seconds from the first second with a failed request to the last one, both included; 0 if none failed.
     * Quiet seconds inside the window count: the window is how long clients could see errors.
     */
    public static double errorWindowSeconds(List<Second> series) {
        List<Integer> failing = series.stream().filter(s -> s.ko() > 0).map(Second::t).sorted().toList();
        return failing.isEmpty() ? 0 : failing.get(failing.size() - 1) - failing.get(0) + 1;
    }

    /**
     * Seconds from the fault until the ok rate is back: the first second s ≥ faultSecond that starts
     * {@value #RECOVERED_SECONDS} consecutive seconds without a failed request and with a mean ok count ≥ 80 %
     * of {@code baselineRps} gives s − faultSecond (0 when the fault never showed). Clients that keep failing
     * (a dead server nobody routes around) are not recovered, however many others succeed. A second missing from the series counts as
     * nothing completed. {@link #NOT_RECOVERED} when the series ends first; the report shows "not recovered".
     */
    public static double recoverySeconds(List<Second> series, int faultSecond, double baselineRps) {
        Map<Integer, Long> okBySecond = series.stream().collect(Collectors.toMap(Second::t, Second::ok, Long::sum));
        Map<Integer, Long> koBySecond = series.stream().collect(Collectors.toMap(Second::t, Second::ko, Long::sum));
        int last = series.stream().mapToInt(Second::t).max().orElse(faultSecond - 1);
        double threshold = RECOVERED_SHARE * baselineRps;
        for (int t = faultSecond; t + RECOVERED_SECONDS - 1 <= last; t++) {
            long ok = 0;
            long ko = 0;
            for (int w = t; w < t + RECOVERED_SECONDS; w++) {
                ok += okBySecond.getOrDefault(w, 0L);
                ko += koBySecond.getOrDefault(w, 0L);
            }
            if (ko == 0 && ok >= threshold * RECOVERED_SECONDS) {
                return t - faultSecond;
            }
        }
        return NOT_RECOVERED;
    }

    /**
     * The ok rate before the fault: the median ok count of the seconds before {@code faultSecond}, leaving out
     * the series' first second (load starting mid-second) when later ones exist.
     */
    public static double baselineRps(List<Second> series, int faultSecond) {
        List<Second> before = series.stream().filter(s -> s.t() < faultSecond)
                .sorted(Comparator.comparingInt(Second::t)).toList();
        if (before.isEmpty()) {
            throw new IllegalArgumentException("no second before the fault (second " + faultSecond
                    + "): the baseline needs some");
        }
        List<Second> steady = before.size() > 1 ? before.subList(1, before.size()) : before;
        return median(steady.stream().map(s -> (double) s.ok()).toList());
    }

    /** The median; the mean of the middle two for an even count. NaN for no value. */
    public static double median(Collection<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * The relative spread of repeats, (max − min) / median: 0 for one value (no spread measured) and when the
     * median is 0.
     */
    public static double spread(Collection<Double> values) {
        double median = median(values);
        if (values.size() < 2 || median == 0) {
            return 0;
        }
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        return (max - min) / median;
    }
}
