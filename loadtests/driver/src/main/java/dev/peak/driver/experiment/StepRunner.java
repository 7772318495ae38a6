package dev.peak.driver.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one constant-rate step: the variant's Gatling simulation on the load generator (a child JVM beside the
 * driver, or pods in the cluster), a fault at its time if the step has one, then what the simulation measured.
 */
final class StepRunner {

    private static final Duration GRACE = Duration.ofSeconds(120);

    private final LoadGenerator generator;
    private final int k;
    private final int cost;

    StepRunner(LoadGenerator generator, int k, int cost) {
        this.generator = generator;
        this.k = k;
        this.cost = cost;
    }

    /** An action at a time after injection began (a fault run's kill). */
    record Fault(Duration at, Runnable action) {
    }

    /**
     * @param generatorCpu CPU-seconds per second each generator used while the simulation ran (their mean
     *                     when several shared the step)
     */
    record Outcome(SimulationResult result, double generatorCpu, Path gatlingReport, long faultEpochMs) {
    }

    /**
     * Offers {@code rate} primary requests per second for {@code settle} + {@code duration}; the simulation
     * leaves what starts during {@code settle} out of its figures. Writes everything into {@code dir}.
     */
    Outcome run(SystemUnderTest system, BenchVariant variant, double rate, Duration settle, Duration duration, Path dir,
                Optional<Fault> fault) throws IOException, InterruptedException {
        return run(system, variant, rate, settle, duration, dir, fault, true);
    }

    /** The same without Gatling's HTML report: for warm-up steps nobody reads. */
    Outcome warmUp(SystemUnderTest system, BenchVariant variant, double rate, Duration duration, Path dir)
            throws IOException, InterruptedException {
        return run(system, variant, rate, Duration.ZERO, duration, dir, Optional.empty(), false);
    }

    private Outcome run(SystemUnderTest system, BenchVariant variant, double rate, Duration settle, Duration duration,
                        Path dir, Optional<Fault> fault, boolean report) throws IOException, InterruptedException {
        AtomicLong faultAt = new AtomicLong();
        Runnable injectionStarted = fault.<Runnable>map(f -> () -> daemon(() -> {
            try {
                Thread.sleep(f.at().toMillis());
                faultAt.set(System.currentTimeMillis());
                f.action().run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })).orElse(() -> { });
        LoadGenerator.Request step = new LoadGenerator.Request(variant, rate,
                properties(system.environment(), variant, rate, settle, duration), report, dir,
                settle.plus(duration).plus(GRACE));
        LoadGenerator.Run run = generator.run(system, step, injectionStarted);
        SimulationResult result = run.result();
        // CPU-seconds per second while the simulation ran, as it counted them itself: the JVM's start-up
        // and Gatling's report, outside that window, say nothing about the load it could generate
        double generatorCpu = result.processCpuS() / Math.max(1e-3, (result.endEpochMs() - result.startEpochMs()) / 1000.0)
                / generator.generators();
        return new Outcome(result, generatorCpu, run.gatlingReport(), faultAt.get());
    }

    /** The simulation's {@code peak.*} system properties; each generator offers its share of the sessions. */
    private Map<String, String> properties(Map<String, String> env, BenchVariant variant, double rate, Duration settle,
                                           Duration duration) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("peak.entry", env.get("PEAK_ENTRY"));
        properties.put("peak.rate", Double.toString(rate / k / generator.generators()));
        properties.put("peak.duration", Long.toString(duration.plus(settle).toSeconds()));
        properties.put("peak.settleS", Long.toString(settle.toSeconds()));
        properties.put("peak.k", Integer.toString(k));
        properties.put("peak.cost", Integer.toString(cost));
        if (env.containsKey("PEAK_ENTRY_B")) {
            properties.put("peak.entryB", env.get("PEAK_ENTRY_B"));
        }
        if (env.containsKey("PEAK_DNS_SERVERS")) {
            properties.put("peak.dns", env.get("PEAK_DNS_SERVERS"));
        }
        if (variant == BenchVariant.RI1_DIRECT) {
            properties.put("peak.instances", env.get("PEAK_INSTANCES"));
        }
        return properties;
    }

    private static void daemon(Runnable task) {
        Thread thread = new Thread(task, "step-fault");
        thread.setDaemon(true);
        thread.start();
    }
}
