package dev.peak.simulations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;

import dev.peak.measurement.LevelCommand;

/**
 * The inputs every simulation shares, read from {@code -Dpeak.*} system properties (the driver sets them on the
 * generator's JVM); the simulation-specific ones (entry, DNS servers, instances) are read with
 * {@link #required(String)}.
 *
 * @param maxRate     {@code peak.maxRate}: the highest rate (primary requests/s) the run may be asked for. Users
 *                    arrive at maxRate / k per second all along; each one becomes a client session with probability
 *                    rate / maxRate (the level's rate), so the offered rate can change at once without a new JVM
 * @param k           {@code peak.k}, requests per session (RI2: calls to B after the token), default 10
 * @param cost        {@code peak.cost}, work cost per request, default 100
 * @param timeout     {@code peak.timeoutMs}, request timeout, default 5000
 * @param maxDuration {@code peak.maxDurationS}: the run ends by itself after this long, default 3600, in case its
 *                    driver is gone
 * @param schedule    {@code peak.schedule}: levels to run one after the other, {@code ;}-separated
 *                    {@link LevelCommand} lines, for a generator no driver talks to (a pod); empty: orders come
 *                    on standard input
 */
public record Parameters(double maxRate, int k, int cost, Duration timeout, Duration maxDuration,
                         List<LevelCommand> schedule) {

    static final int DEFAULT_K = 10;
    static final int DEFAULT_COST = 100;
    static final long DEFAULT_TIMEOUT_MS = 5000;
    static final long DEFAULT_MAX_DURATION_S = 3600;

    public static Parameters fromSystemProperties() {
        return from(System.getProperties());
    }

    static Parameters from(Properties properties) {
        double maxRate = parse(properties, "peak.maxRate", null, Double::parseDouble);
        int k = parse(properties, "peak.k", DEFAULT_K, Integer::parseInt);
        int cost = parse(properties, "peak.cost", DEFAULT_COST, Integer::parseInt);
        long timeoutMs = parse(properties, "peak.timeoutMs", DEFAULT_TIMEOUT_MS, Long::parseLong);
        long maxDurationS = parse(properties, "peak.maxDurationS", DEFAULT_MAX_DURATION_S, Long::parseLong);
        if (!(maxRate > 0) || Double.isInfinite(maxRate) || k <= 0 || timeoutMs <= 0 || maxDurationS <= 0) {
            throw new IllegalArgumentException("peak.maxRate, peak.k, peak.timeoutMs and peak.maxDurationS must be positive, "
                    + "got maxRate=" + maxRate + " k=" + k + " timeoutMs=" + timeoutMs + " maxDurationS=" + maxDurationS);
        }
        List<LevelCommand> schedule = new ArrayList<>();
        for (String line : properties.getProperty("peak.schedule", "").split(";")) {
            if (!line.isBlank()) {
                LevelCommand level = LevelCommand.parse(line);
                if (level.rate() > maxRate) {
                    throw new IllegalArgumentException("peak.schedule: level " + level.level() + " asks for " + level.rate()
                            + " requests/s, above peak.maxRate=" + maxRate);
                }
                schedule.add(level);
            }
        }
        return new Parameters(maxRate, k, cost, Duration.ofMillis(timeoutMs), Duration.ofSeconds(maxDurationS),
                List.copyOf(schedule));
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
