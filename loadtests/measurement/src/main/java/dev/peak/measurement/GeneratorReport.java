package dev.peak.measurement;

import java.util.List;

/**
 * A whole generator run at once, for a generator that followed a schedule instead of a driver's orders (a pod
 * in the cluster, whose only output is its log).
 */
public record GeneratorReport(List<LevelMeasurement> levels, List<Tick> ticks) {

    public GeneratorReport {
        levels = levels == null ? List.of() : levels;
        ticks = ticks == null ? List.of() : ticks;
    }
}
