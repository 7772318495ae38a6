package dev.peak.measurement;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a load generator measured in one level's window: the requests it sent while the window was open, each
 * followed to its end (answer, failure or timeout), and the primary requests that ended inside the window.
 *
 * @param level            the index the driver gave the level
 * @param rate             primary requests per second offered (sessions arrived at rate / k)
 * @param sessionsStarted  client sessions that began in the window (Poisson: about rate / k × window)
 * @param requests         requests of every kind sent in the window
 * @param primaryCompleted primary requests that ended in the window, OK or not, whenever sent: the achieved rate
 * @param latency          per request kind, of the OK requests sent in the window; {@code transaction} is what one
 *                         primary call costs the client with its share of the session's other calls (RI2 PEAK:
 *                         a call to B plus its token's latency / k)
 * @param perInstance      OK answers per instance that served them
 * @param processCpuS      the generator process's own CPU seconds in the window (where no cgroup can be read)
 */
public record LevelMeasurement(int level, double rate, long windowStartEpochMs, long windowEndEpochMs,
                               long sessionsStarted, Counts requests, long primaryCompleted,
                               Map<String, Latency> latency, Map<String, Long> perInstance, double processCpuS) {

    public LevelMeasurement {
        latency = latency == null ? Map.of() : latency;
        perInstance = perInstance == null ? Map.of() : perInstance;
        requests = requests == null ? Counts.NONE : requests;
    }

    public double windowSeconds() {
        return (windowEndEpochMs - windowStartEpochMs) / 1000.0;
    }

    /** Primary requests per second that ended in the window. */
    public double achievedRps() {
        double seconds = windowSeconds();
        return seconds <= 0 ? 0 : primaryCompleted / seconds;
    }

    /** The latency of one kind; {@link Latency#NONE} when none was recorded. */
    public Latency call(String kind) {
        return latency.getOrDefault(kind, Latency.NONE);
    }

    /**
     * Several generators' measurements of the same level as one: counts and CPU added, histograms added (so the
     * percentiles are those of every request), the window from the earliest start to the latest end, each
     * generator's rate added.
     */
    public static LevelMeasurement merge(List<LevelMeasurement> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no measurement to merge");
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        Set<String> kinds = new LinkedHashSet<>();
        parts.forEach(p -> kinds.addAll(p.latency().keySet()));
        Map<String, Latency> latency = new LinkedHashMap<>();
        for (String kind : kinds) {
            List<Latency> of = new ArrayList<>();
            parts.stream().map(p -> p.latency().get(kind)).filter(Objects::nonNull).forEach(of::add);
            latency.put(kind, Latency.sum(of));
        }
        Map<String, Long> perInstance = new TreeMap<>();
        parts.forEach(p -> p.perInstance().forEach((name, n) -> perInstance.merge(name, n, Long::sum)));
        // the window is as long as each generator's (they share one plan); the span of their starts would
        // stretch it by their start-up skew and understate the achieved rate
        double seconds = parts.stream().mapToDouble(LevelMeasurement::windowSeconds).average().orElse(0);
        long start = parts.stream().mapToLong(LevelMeasurement::windowStartEpochMs).min().orElseThrow();
        return new LevelMeasurement(parts.get(0).level(), parts.stream().mapToDouble(LevelMeasurement::rate).sum(),
                start, start + Math.round(seconds * 1000),
                parts.stream().mapToLong(LevelMeasurement::sessionsStarted).sum(),
                parts.stream().map(LevelMeasurement::requests).reduce(Counts.NONE, Counts::plus),
                parts.stream().mapToLong(LevelMeasurement::primaryCompleted).sum(), latency, perInstance,
                parts.stream().mapToDouble(LevelMeasurement::processCpuS).sum());
    }
}
