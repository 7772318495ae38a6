package dev.peak.driver.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Runs one step's Gatling simulation and hands back what it measured: one child JVM beside the driver, or
 * several generator pods in the cluster that share the step's rate.
 */
public interface LoadGenerator {

    /** Gatling prints this line when injection begins; fault times count from it. */
    String INJECTION_STARTED = "started...";

    /** How many generators share a step's arrival rate (each offers rate / generators). */
    int generators();

    /**
     * Runs the step's simulation on every generator, keeps their console output in {@code step.dir()}, calls
     * {@code injectionStarted} once, when injection began, and gives up after {@code step.timeout()}.
     */
    Run run(SystemUnderTest system, Request step, Runnable injectionStarted) throws IOException, InterruptedException;

    /**
     * @param rate       the step's offered rate (primary requests per second), for messages
     * @param properties the simulation's {@code peak.*} system properties, {@code peak.rate} already divided
     *                   among the generators; {@code peak.out} is the generator's to set
     * @param report     whether Gatling writes its HTML report (where one can be kept)
     * @param dir        where the generators' console output goes
     */
    record Request(BenchVariant variant, double rate, Map<String, String> properties, boolean report, Path dir,
                   Duration timeout) {

        /** The step in a message, e.g. "ri1-peak at 400.0 rps". */
        public String label() {
            return variant + " at " + rate + " rps";
        }
    }

    /**
     * @param result        what the generators measured, merged into one run
     * @param gatlingReport the folder of Gatling's HTML report, or null where none was kept
     */
    record Run(SimulationResult result, Path gatlingReport) {
    }
}
