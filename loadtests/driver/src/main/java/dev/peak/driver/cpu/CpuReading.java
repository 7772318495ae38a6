package dev.peak.driver.cpu;

import dev.peak.driver.variant.Component;

/** One instance's CPU counters at one moment, with what the instance is. */
public record CpuReading(Component component, CpuSample sample) {
}
