package dev.peak.driver.experiment;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import dev.peak.driver.lab.CpuEnforcement;
import dev.peak.measurement.LevelCommand;

/**
 * Unmeasured levels with the system's budgets lifted, until every JVM on the path has compiled its hot code: in
 * segments of {@value #SEGMENT_S} s, until the servers' CPU per request stops falling (two segments within
 * {@value #STEADY} of each other) or the time is up, whichever comes first after {@value #MIN_SEGMENTS} segments.
 * Under a budget of a fifth of a CPU the JIT compilers would need minutes, and every level measured meanwhile would
 * measure them; a server that has run for hours in production has long finished.
 */
final class WarmUp {

    static final int SEGMENT_S = 5;
    static final int MIN_SEGMENTS = 3;
    static final double STEADY = 0.15;

    private WarmUp() {
    }

    /** Warms at {@code rate} for at most {@code most}; returns the next level index. */
    static int run(SystemUnderTest system, LevelMeter meter, double rate, Duration most, CpuEnforcement enforcement,
                   int index) throws IOException, InterruptedException {
        int segments = Math.max(MIN_SEGMENTS, (int) (most.toSeconds() / SEGMENT_S));
        system.liftBudgets();
        try {
            double previous = Double.NaN;
            for (int segment = 1; segment <= segments; segment++) {
                LevelMeter.Metered m = meter.run(List.of(new LevelCommand(index++, rate, 0, SEGMENT_S * 1000L))).get(0);
                double servers = m.cpu().values().stream().filter(r -> r.component().isServer())
                        .mapToDouble(r -> r.sample().usageNanos()).sum() / Math.max(1, m.measurement().primaryCompleted());
                if (segment >= MIN_SEGMENTS && Math.abs(servers - previous) <= STEADY * previous) {
                    break;
                }
                previous = servers;
            }
        } finally {
            system.restoreBudgets(enforcement);
        }
        return index;
    }
}
