package dev.peak.dns.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

import dev.peak.dns.policy.PolicyName;
import dev.peak.dns.zone.ServiceSpec.HealthSpec;

/**
 * Reads the {@code peak.dev/*} annotations of a Kubernetes Service into its answer settings, with the
 * same ranges as the static file. Unlike the static file, a mistake does not reject anything: the
 * annotation falls back to its default and the mistake is reported, because one typo in one Service
 * must not take every other Service of the cluster out of the answers.
 */
final class ServiceAnnotations {

    static final String PREFIX = "peak.dev/";
    static final String POLICY = PREFIX + "policy";
    static final String ANSWER_SIZE = PREFIX + "answer-size";
    static final String TTL = PREFIX + "ttl";
    static final String PORT = PREFIX + "port";
    static final String HEALTH_PATH = PREFIX + "health-path";
    static final String HEALTH_INTERVAL = PREFIX + "health-interval";
    static final String HEALTH_TIMEOUT = PREFIX + "health-timeout";
    static final String HEALTH_RISE = PREFIX + "health-rise";
    static final String HEALTH_FALL = PREFIX + "health-fall";
    static final List<String> KNOWN = List.of(POLICY, ANSWER_SIZE, TTL, PORT, HEALTH_PATH, HEALTH_INTERVAL,
            HEALTH_TIMEOUT, HEALTH_RISE, HEALTH_FALL);
    /** The selection label, tolerated as an annotation too, where it means nothing. */
    private static final String DNS = PREFIX + "dns";

    /** What the annotations decide; an empty port means "take it from the EndpointSlices". */
    record Settings(PolicyName policy, int answerSize, long ttl, OptionalInt port, HealthSpec health) {
    }

    private final long defaultTtl;
    private final HealthSpec defaultHealth;

    ServiceAnnotations(long defaultTtl, HealthSpec defaultHealth) {
        this.defaultTtl = defaultTtl;
        this.defaultHealth = defaultHealth;
    }

    /**
     * The settings of one Service. Each annotation that does not parse is reported to {@code problems}
     * as "{@code <annotation>: <why>, using <default>}" and replaced by its default.
     */
    Settings read(Map<String, String> annotations, Consumer<String> problems) {
        Map<String, String> a = annotations == null ? Map.of() : annotations;
        a.keySet().stream()
                .filter(key -> key.startsWith(PREFIX) && !KNOWN.contains(key) && !key.equals(DNS))
                .sorted()
                .forEach(key -> problems.accept(key + ": unknown annotation, ignored (known: " + KNOWN + ")"));

        PolicyName policy = PolicyName.DEFAULT;
        if (a.containsKey(POLICY)) {
            try {
                policy = PolicyName.of(a.get(POLICY).strip());
            } catch (IllegalArgumentException e) {
                problems.accept(POLICY + ": " + e.getMessage() + ", using " + policy);
            }
        }
        int answerSize = integer(a, ANSWER_SIZE, 1, StaticFileParser.MAX_ANSWER_SIZE, 1, problems);
        long ttl = integer(a, TTL, 0, 86_400, (int) defaultTtl, problems);
        OptionalInt port = a.containsKey(PORT)
                ? parseInteger(a.get(PORT), 1, 65_535).map(OptionalInt::of).orElseGet(() -> {
                    problems.accept(PORT + ": must be an integer from 1 to 65535, got '" + a.get(PORT)
                            + "', using the EndpointSlice's port");
                    return OptionalInt.empty();
                })
                : OptionalInt.empty();

        String path = defaultHealth.path();
        if (a.containsKey(HEALTH_PATH)) {
            String value = a.get(HEALTH_PATH).strip();
            if (value.startsWith("/") && value.chars().noneMatch(c -> c <= ' ' || c == 127)) {
                path = value;
            } else {
                problems.accept(HEALTH_PATH + ": must be a path starting with '/', got '" + value + "', using " + path);
            }
        }
        Duration interval = duration(a, HEALTH_INTERVAL, defaultHealth.interval(), problems);
        Duration timeout = duration(a, HEALTH_TIMEOUT, defaultHealth.timeout(), problems);
        if (!interval.isZero() && timeout.compareTo(interval) > 0) {
            problems.accept(HEALTH_TIMEOUT + ": " + format(timeout) + " exceeds the interval " + format(interval)
                    + ", using " + format(interval));
            timeout = interval;
        }
        int rise = integer(a, HEALTH_RISE, 1, 100, defaultHealth.rise(), problems);
        int fall = integer(a, HEALTH_FALL, 1, 100, defaultHealth.fall(), problems);
        return new Settings(policy, answerSize, ttl, port, new HealthSpec(path, interval, timeout, rise, fall));
    }

    private static int integer(Map<String, String> a, String key, int min, int max, int fallback, Consumer<String> problems) {
        if (!a.containsKey(key)) {
            return fallback;
        }
        return parseInteger(a.get(key), min, max).orElseGet(() -> {
            problems.accept(key + ": must be an integer from " + min + " to " + max + ", got '" + a.get(key)
                    + "', using " + fallback);
            return fallback;
        });
    }

    private static Optional<Integer> parseInteger(String text, int min, int max) {
        try {
            int value = Integer.parseInt(text.strip());
            return value >= min && value <= max ? Optional.of(value) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The static file's duration syntax: 500ms, 2s, 1m; a bare number is seconds; 0 disables checks. */
    private static Duration duration(Map<String, String> a, String key, Duration fallback, Consumer<String> problems) {
        if (!a.containsKey(key)) {
            return fallback;
        }
        return StaticFileParser.parseDuration(a.get(key)).orElseGet(() -> {
            problems.accept(key + ": must be a duration such as 500ms, 2s or 1m, got '" + a.get(key)
                    + "', using " + format(fallback));
            return fallback;
        });
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
