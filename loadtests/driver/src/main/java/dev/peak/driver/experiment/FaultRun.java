package dev.peak.driver.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.peak.driver.results.FaultResult;
import dev.peak.driver.results.Second;
import dev.peak.driver.variant.Client;
import dev.peak.driver.variant.FaultKind;
import dev.peak.driver.variant.Variant;
import dev.peak.measurement.LevelCommand;

/**
 * A fault run: a warm generator offers a constant rate, one part of the system is killed at 40 % of the window,
 * and the seconds before and after tell how many requests failed and how long the clients took to recover.
 */
final class FaultRun {

    /** The rates, as shares of the fault run's, a new peak-client generator climbs through before the warm-up. */
    private static final double[] RAMP = {0.25, 0.5, 0.75};

    private final ExperimentOptions options;
    private final SystemUnderTest system;
    private final Variant variant;
    private final Progress progress;

    FaultRun(ExperimentOptions options, SystemUnderTest system, Variant variant, Progress progress) {
        this.options = options;
        this.system = system;
        this.variant = variant;
        this.progress = progress;
    }

    /**
     * The generators' CPU per request over the fault's level. The clients differ in cost, so each fault run says what
     * its client cost.
     */
    private static double generatorUsPerRequest(LevelMeter.Metered metered, int generators) {
        double nanos = metered.generatorCpuNanos(generators) * generators;
        return Math.round(nanos / 1000.0 / Math.max(1, metered.measurement().requests().total()));
    }

    FaultResult measure(LoadGenerator generator, PlannedFault planned, double rate, Path dir)
            throws IOException, InterruptedException {
        FaultKind kind = planned.kind();
        int servers = system.servers();
        Profile profile = options.profile();
        long windowMs = profile.faultDuration().toMillis();
        long atMs = windowMs * 2 / 5;
        Runnable fault = switch (kind) {
            case KILL_SERVER -> () -> system.kill(variant.servedBy() + servers);
            case KILL_PROXY -> system::killProxy;
            case KILL_DNS_REPLICA -> () -> system.killDnsReplica(1);
        };
        progress.say("fault %s · %s · %d servers · %.0f rps, fault %d s into a %d s window ...", planned, variant,
                servers, rate, atMs / 1000, windowMs / 1000);
        int cost = profile.costs().get(profile.costs().size() - 1);
        LoadGenerator.Workload workload = new LoadGenerator.Workload(variant, options.k(), cost, Math.round(1.5 * rate),
                LoadGenerator.REQUEST_TIMEOUT, planned.client());
        LoadGenerator.RunningLoad run = generator.start(system, workload, dir);
        AtomicLong faultAt = new AtomicLong();
        AtomicLong windowAt = new AtomicLong();
        // a short warm-up: the lab is warm when the fault reuses a staircase's; a new one warms with the generator
        Duration warmUpTime = profile.warmUp().compareTo(WarmUp.GENERATOR) < 0 ? profile.warmUp() : WarmUp.GENERATOR;
        LevelCommand warmUp = new LevelCommand(0, rate, 0, warmUpTime.toMillis());
        LevelCommand faulty = new LevelCommand(100, rate, profile.settle().toMillis(), windowMs);
        try {
            LoadGenerator.Listener timer = new LoadGenerator.Listener() {
                @Override
                public void windowOpened(int level) {
                    if (level != faulty.level()) {
                        return;
                    }
                    windowAt.set(System.currentTimeMillis());
                    Thread thread = new Thread(() -> {
                        try {
                            Thread.sleep(atMs);
                            faultAt.set(System.currentTimeMillis());
                            fault.run();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }, "fault");
                    thread.setDaemon(true);
                    thread.start();
                }
            };
            LevelMeter meter = new LevelMeter(system, run, timer.and(progress.live("fault " + planned + " · " + variant)));
            LevelMeter.Metered metered;
            if (run.steerable()) {
                int index = 0;
                if (planned.client() == Client.PEAK_CLIENT) {
                    // the JDK's HttpClient costs several times Gatling's per request while cold: started at the full
                    // rate on its one CPU it falls behind and never catches up (measured at 2,000/s: a p50 of 0.9 s
                    // after 20 s; 0.3 ms after a ramp through a quarter, a half and three quarters of it). The
                    // system's budgets are lifted meanwhile, as in the warm-up that follows: a new lab is cold too
                    List<LevelCommand> ramp = new ArrayList<>();
                    for (; index < RAMP.length; index++) {
                        ramp.add(new LevelCommand(index, Math.round(RAMP[index] * rate), 0, WarmUp.STEP_MS));
                    }
                    system.liftBudgets();
                    try {
                        meter.run(ramp);
                    } finally {
                        system.restoreBudgets(options.enforcement());
                    }
                }
                new WarmUp(system, meter, variant.primaryCall(), options.sloMs(), index, WarmUp.FAULT_TAIL_S)
                        .run(rate, rate, WarmUp.REQUESTS_PER_SERVER, warmUpTime, true, options.enforcement());
                metered = meter.run(List.of(faulty)).get(0);
            } else {
                metered = meter.run(List.of(warmUp, faulty)).get(1);
            }
            long start = windowAt.get() > 0 ? windowAt.get() : metered.measurement().windowStartEpochMs();
            // only the seconds of the window: after it, the last sessions trickle out and nothing is offered
            List<Second> timeline = metered.ticks().stream()
                    .filter(t -> t.epochMs() >= start - 500 && t.epochMs() < start + windowMs - 500)
                    .map(t -> new Second((int) Math.round((t.epochMs() - start) / 1000.0), t.ok(), t.ko())).toList();
            int faultSecond = (int) Math.max(0, ((faultAt.get() > 0 ? faultAt.get() : start + atMs) - start) / 1000);
            FaultResult result = FaultResult.of(variant.id(), kind, servers, cost, rate, faultSecond, timeline,
                    planned.client(), generatorUsPerRequest(metered, generator.generators()));
            progress.say("fault %s · %s → requests %d · errors %d · error window %.1f s · recovery %s · generator %.0f µs/req",
                    planned, variant, result.requests(), result.errors(), result.errorWindowS(), result.recoveryS() < 0
                            ? "none within the run" : String.format(java.util.Locale.ROOT, "%.1f s", result.recoveryS()),
                    result.generatorUsPerRequest());
            return result;
        } finally {
            run.close();
            progress.done();
        }
    }
}
