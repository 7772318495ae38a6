package dev.peak.driver.experiment;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import dev.peak.driver.lab.CpuEnforcement;
import dev.peak.measurement.LevelCommand;

/**
 * An unmeasured level with the system's budgets lifted, so that every JVM on the path compiles its hot code: under
 * a budget of a fifth of a CPU the JIT compilers would need minutes, and every level measured meanwhile would
 * measure them (a server that has run for hours in production has long finished). The first staircase on fresh
 * servers warms them and the generator; later ones on the same servers warm only a new generator.
 */
final class WarmUp {

    /** Long enough for a new generator's JIT compilers at a few hundred requests per second. */
    static final Duration GENERATOR = Duration.ofSeconds(15);

    private WarmUp() {
    }

    /** Warms at {@code rate} for {@code time}, then puts the budgets back; returns the next level index. */
    static int run(SystemUnderTest system, LevelMeter meter, double rate, Duration time, CpuEnforcement enforcement,
                   int index) throws IOException, InterruptedException {
        system.liftBudgets();
        try {
            meter.run(List.of(new LevelCommand(index, rate, 0, time.toMillis())));
        } finally {
            system.restoreBudgets(enforcement);
        }
        return index + 1;
    }
}
