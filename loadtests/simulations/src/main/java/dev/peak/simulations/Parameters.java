package dev.peak.simulations;

import java.time.Duration;
import java.util.Properties;
import java.util.function.Function;

/**
 * The inputs every simulation shares, read from {@code -Dpeak.*} system properties (the driver sets them
 * on each child JVM); the simulation-specific ones (entry, DNS server, instances) are read with
 * {@link #required(String)}.
 *
 * @param rate     new virtual users (client sessions) per second, {@code peak.rate}
 * @param duration seconds during which users arrive, {@code peak.duration}
 * @param k        requests per session (RI2: calls to B after the token), {@code peak.k}, default 10
 * @param cost     work cost per request, {@code peak.cost}, default 100
 * @param timeout  request timeout, {@code peak.timeoutMs}, default 5000
 * @param out      the JSON file written at the end, {@code peak.out}; {@value #STDOUT} prints it to stdout
 *                 between two marker lines instead (a generator pod, whose log the driver reads)
 * @param settle   {@code peak.settleS}, default 0: requests and sessions that start this early in the run
 *                 are left out of the counts, latencies and instances (the generator's own JVM is still
 *                 compiling its hot paths then), but not out of {@code perSecond}
 */
public record Parameters(double rate, int duration, int k, int cost, Duration timeout, String out, Duration settle) {

    /** {@code peak.out} for stdout. */
    public static final String STDOUT = "-";
    static final int DEFAULT_K = 10;
    static final int DEFAULT_COST = 100;
    static final long DEFAULT_TIMEOUT_MS = 5000;

    public static Parameters fromSystemProperties() {
        return from(System.getProperties());
    }

    static Parameters from(Properties properties) {
        double rate = parse(properties, "peak.rate", null, Double::parseDouble);
        int duration = parse(properties, "peak.duration", null, Integer::parseInt);
        int k = parse(properties, "peak.k", DEFAULT_K, Integer::parseInt);
        int cost = parse(properties, "peak.cost", DEFAULT_COST, Integer::parseInt);
        long timeoutMs = parse(properties, "peak.timeoutMs", DEFAULT_TIMEOUT_MS, Long::parseLong);
        String out = required(properties, "peak.out");
        int settleS = parse(properties, "peak.settleS", 0, Integer::parseInt);
        if (settleS < 0 || settleS >= duration) {
            throw new IllegalArgumentException("peak.settleS must be at least 0 and below peak.duration, got " + settleS);
        }
        if (!(rate > 0) || Double.isInfinite(rate) || duration <= 0 || k <= 0 || timeoutMs <= 0) {
            throw new IllegalArgumentException("peak.rate, peak.duration, peak.k and peak.timeoutMs must be positive, got rate="
                    + rate + " duration=" + duration + " k=" + k + " timeoutMs=" + timeoutMs);
        }
        return new Parameters(rate, duration, k, cost, Duration.ofMillis(timeoutMs), out, Duration.ofSeconds(settleS));
    }

    /** A system property the simulation cannot run without. */
    public static String required(String name) {
        return required(System.getProperties(), name);
    }

    static String required(Properties properties, String name) {
        String value = properties.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("system property -D" + name + " is required");
        }
        return value.strip();
    }

    private static <T> T parse(Properties properties, String name, T fallback, Function<String, T> parser) {
        if (fallback != null && properties.getProperty(name, "").isBlank()) {
            return fallback;
        }
        String value = required(properties, name);
        try {
            return parser.apply(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + name + "=" + value + " is not a number");
        }
    }
}
