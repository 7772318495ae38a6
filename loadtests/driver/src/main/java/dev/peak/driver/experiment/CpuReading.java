package dev.peak.driver.experiment;

import dev.peak.driver.lab.Component;
import dev.peak.driver.lab.CpuSample;

/** One instance's CPU counters at one moment, with what the instance is. */
public record CpuReading(Component component, CpuSample sample) {
}
