package dev.peak.driver.experiment;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import dev.peak.driver.lab.CpuEnforcement;
import dev.peak.measurement.LevelCommand;

/**
 * Unmeasured levels with the system's budgets lifted, so that every JVM on the path compiles its hot code: under
 * a budget of a fifth of a CPU the JIT compilers would need minutes, and every level measured meanwhile would
 * measure them (a server that has run for hours in production has long finished). The first staircase on fresh
 * servers warms them and the generator; later ones on the same servers warm only a new generator.
 *
 * <p>It ends with {@value #TAIL_S} s at the first measured level's rate: a busy JVM's compiled code does not cover
 * what a quieter one runs (idle event loops, timers), and without the tail the JIT compiles it during the first
 * levels, inside their budgets (measured: B's C2 thread took 40 % of a 0.2-CPU budget at 100 requests/s after a
 * warm-up at 600).
 */
final class WarmUp {

    /** Long enough for a new generator's JIT compilers at a few hundred requests per second. */
    static final Duration GENERATOR = Duration.ofSeconds(15);
    static final int TAIL_S = 10;

    private WarmUp() {
    }

    /**
     * Warms at {@code rate} for {@code time}, then for {@value #TAIL_S} s at {@code firstRate}, then puts the budgets
     * back; returns the next level index.
     */
    static int run(SystemUnderTest system, LevelMeter meter, double rate, double firstRate, Duration time,
                   CpuEnforcement enforcement, int index) throws IOException, InterruptedException {
        system.liftBudgets();
        try {
            meter.run(List.of(new LevelCommand(index, rate, 0, time.toMillis()),
                    new LevelCommand(index + 1, firstRate, 0, TAIL_S * 1000L)));
        } finally {
            system.restoreBudgets(enforcement);
        }
        return index + 2;
    }
}
