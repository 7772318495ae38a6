package dev.peak.driver.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

import dev.peak.driver.cpu.CpuEnforcement;
import dev.peak.driver.cpu.CpuReading;
import dev.peak.driver.cpu.CpuSample;
import dev.peak.driver.variant.Component;
import dev.peak.measurement.Counts;
import dev.peak.measurement.Latency;
import dev.peak.measurement.LevelCommand;
import dev.peak.measurement.LevelMeasurement;
import dev.peak.measurement.Tick;

/**
 * A system under test and its load generator simulated in memory, for the staircase's logic without a lab: it
 * sustains {@link #capacity} requests/s (p99 2 ms within it, 500 ms beyond), every request costs its server and
 * the generator fixed CPU, a failed level leaves {@link #backlogSeconds} of busy server behind, and its JIT compilers
 * keep up to half a CPU busy, less and less, for its first {@link #compilingLevels} levels (all of it, if
 * {@link #compilingSteadily}),
 * getting it stopped by its quota for {@link #compilingThrottled} of the time unless the budgets are lifted. It notes every order and every change to the
 * budgets, in order.
 */
final class SimulatedLab implements SystemUnderTest, LoadGenerator, LoadGenerator.RunningLoad {

    double capacity = 1000;
    double serverUs = 200;
    double generatorUs = 100;
    /** The generator's CPUs during each window, if set: a saturated generator. */
    Double generatorCpu;
    /** The share of each window the server is stopped by its quota. */
    double throttledShare;
    /** The share of the Poisson-expected sessions the generator manages to start. */
    double sessionsShare = 1;
    int backlogSeconds = 2;
    int compilingLevels;
    boolean compilingSteadily;
    /** The share of the time the compilers get the server stopped by its quota, unless the budgets are lifted. */
    double compilingThrottled = 0.3;
    /** How long a level takes, in real time, while the budgets are lifted: a cold system's outlast their window. */
    long liftedLevelMillis;
    /** Whether the driver can read the compilers' CPU time (as in the lab; not on a cluster). */
    boolean compilersVisible;
    final List<String> events = new ArrayList<>();
    /** Runs as each batch of levels is ordered (an interruption, say). */
    Runnable beforeLevels = () -> { };

    private final Map<String, CpuReading> counters = new LinkedHashMap<>();
    private int backlog;
    private int levelsRun;
    private boolean lifted;
    private long compiledNanos;

    SimulatedLab() {
        counters.put("a-1", new CpuReading(Component.SERVICE_A, CpuSample.ZERO));
        counters.put("load", new CpuReading(Component.GENERATOR, CpuSample.ZERO));
    }

    // the system

    @Override
    public int servers() {
        return 1;
    }

    @Override
    public void scaleTo(int servers) {
        events.add("scale " + servers);
    }

    @Override
    public void kill(String instance) {
        events.add("kill " + instance);
    }

    @Override
    public void killProxy() {
        events.add("kill proxy");
    }

    @Override
    public void killDnsReplica(int replica) {
        events.add("kill dns " + replica);
    }

    @Override
    public Map<String, String> environment() {
        return Map.of("PEAK_ENTRY", "http://[::1]:8080", "PEAK_INSTANCES", "a-1=::1");
    }

    @Override
    public List<String> asLoad(List<String> command) {
        return command;
    }

    @Override
    public Map<String, CpuReading> cpuUsage() {
        return Map.copyOf(counters);
    }

    @Override
    public void warmDns() {
        events.add("warm dns");
    }

    @Override
    public Map<String, Long> compilerNanos() {
        return compilersVisible ? Map.of("a-1", compiledNanos) : Map.of();
    }

    @Override
    public void liftBudgets() {
        events.add("lift");
        lifted = true;
    }

    @Override
    public void restoreBudgets(CpuEnforcement enforcement) {
        events.add("restore " + enforcement.describe());
        lifted = false;
    }

    @Override
    public void close() {
    }

    // the generator

    @Override
    public int generators() {
        return 1;
    }

    @Override
    public RunningLoad start(SystemUnderTest system, Workload workload, Path dir) {
        events.add("start generator, ceiling " + Math.round(workload.maxRate()));
        return this;
    }

    @Override
    public boolean steerable() {
        return true;
    }

    @Override
    public List<LevelMeasurement> levels(List<LevelCommand> levels, Listener listener) {
        beforeLevels.run();
        List<LevelMeasurement> measured = new ArrayList<>();
        for (LevelCommand order : levels) {
            events.add(order.rate() == 0 ? "idle" : "level " + Math.round(order.rate()));
            if (lifted && liftedLevelMillis > 0) {
                try {
                    Thread.sleep(liftedLevelMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            double seconds = order.windowMs() / 1000.0;
            listener.windowOpened(order.level());
            double served = Math.min(order.rate(), capacity);
            double compiling = ++levelsRun > compilingLevels ? 0
                    : compilingSteadily ? 0.5 : 0.5 * (compilingLevels - levelsRun + 1) / compilingLevels;
            compiledNanos += Math.round(compiling * seconds * 1e9);
            double serverBusy = backlog > 0 ? 1 : served * serverUs / 1e6 + compiling;
            backlog = Math.max(0, backlog - (int) seconds);
            // compiling under its budget, the server is stopped by its quota
            double stopped = throttledShare + (compiling > 0 && !lifted ? compilingThrottled : 0);
            advance("a-1", serverBusy * seconds, stopped * seconds);
            double generator = generatorCpu != null ? generatorCpu : order.rate() * generatorUs / 1e6;
            advance("load", generator * seconds, 0);
            listener.tick(new Tick(0, 0, order.level(), order.rate(), (long) served, 0, 0, 0, 0));
            listener.windowClosed(order.level());
            boolean within = order.rate() <= capacity;
            if (!within && order.rate() > 0) {
                backlog = backlogSeconds;
            }
            long requests = Math.round(order.rate() * seconds);
            Histogram h = new Histogram(Latency.SIGNIFICANT_DIGITS);
            for (long i = 0; i < requests; i++) {
                h.recordValue(within ? 1000 + i % 1000 : 400_000 + i % 200_000);
            }
            Latency latency = Latency.of(h);
            measured.add(new LevelMeasurement(order.level(), order.rate(), 0, order.windowMs(),
                    Math.round(sessionsShare * order.rate() / 10 * seconds), new Counts(requests, 0),
                    Math.round(served * seconds), Map.of("work", latency, "transaction", latency),
                    Map.of("a-1", requests), generator * seconds));
        }
        return measured;
    }

    @Override
    public void cost(int cost) {
        events.add("cost " + cost);
    }

    @Override
    public Path gatlingReport() {
        return null;
    }

    private void advance(String instance, double cpuSeconds, double throttledSeconds) {
        CpuReading r = counters.get(instance);
        long periods = Math.round(10 * (cpuSeconds + throttledSeconds) + 10);
        counters.put(instance, new CpuReading(r.component(), r.sample().plus(new CpuSample(Math.round(cpuSeconds * 1e9),
                periods, throttledSeconds > 0 ? periods / 2 : 0, Math.round(throttledSeconds * 1e9)))));
    }
}
