package dev.peak.driver.experiment;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import dev.peak.driver.cpu.CpuEnforcement;
import dev.peak.driver.results.WarmUpOutcome;
import dev.peak.driver.variant.Component;
import dev.peak.measurement.LevelCommand;
import dev.peak.measurement.LevelMeasurement;

/**
 * Unmeasured levels with the system's budgets lifted, so that every JVM on the path compiles its hot code: under
 * a budget of a fifth of a CPU the JIT compilers would need minutes, and every level measured meanwhile would
 * measure them (a server that has run for hours in production has long finished). The first staircase on fresh
 * servers warms them and the generator; later ones on the same servers warm only a new generator.
 *
 * <p>It climbs to its target in steps of {@value #STEP_MS} ms from the first measured level's rate instead of
 * starting there: a cold path costs many times what a warm one does, and a rate the warm path takes easily can
 * overload it (measured: a cold RI2 mesh chain cost ~2.8 ms of CPU, so a warm-up at 600 requests/s achieved 448 with
 * a p50 of 960 ms; its queues and a backlog of C2 compilations were still being worked off inside the budgets of
 * the first measured levels, which then failed at 50 requests/s). A step that keeps up (no error, and a median
 * within half the SLO: overload queues, and the queue shows in the median; the first requests of a cold JVM are slow
 * whatever the rate, so the p99 says nothing here) is followed by one {@value #GROWTH} times higher, up to the target;
 * one that does not, by a second's pause, a step at {@value #BACK_OFF} of what it achieved (never below the first
 * measured level's rate: a cold JVM's first seconds fail any rate, and a few requests per second would never warm
 * it), and {@value #HOLD} steps no higher than {@value #BELOW_FAILED} of the rate that failed before it tries higher
 * again (the system's capacity grows as it warms). It climbs until {@value #REQUESTS_PER_SERVER} requests per server
 * have been served and the system's JIT compiler threads are quiet (below {@value #QUIET_COMPILERS} of a CPU in a
 * step, where the platform can read them), or for at most the time it is given: HotSpot compiles a method with C2
 * after some 5 000 invocations (Tier4InvocationThreshold; 15 000 with loops), so a warm-up of fewer leaves hot code
 * to be compiled inside the measured budgets. Per request that is reached soon (measured: after 4 000 RI2
 * requests, B's C2 thread still used more CPU at 50 requests/s than its event loops, 40 to 60 s after the start);
 * per connection, which a server behind no proxy opens once per session of k requests, it takes k times as many
 * requests (measured, RI1 direct at cost 0 after a warm-up of 20 000 requests: C2 recompiled Vert.x's connection and
 * response paths 60 to 100 s after the start, using a third of the server's budget, and every level meanwhile was
 * throttled 50 to 80 % with a p99 of 76 to 90 ms at a tenth of its capacity).
 *
 * <p>Then the budgets are put back and it runs at the first measured level's rate until the system has settled
 * there: in {@value #STEADY_STEPS} consecutive steps, no instance stopped by its quota for more than {@value
 * #THROTTLED} of the step, the compilers quiet, and the system's CPU per request (every instance but the generator's) within {@value
 * #STEADY} of each other; after at least {@value #TAIL_S} s, at most {@value #MAX_TAIL_S} s (a fault run's: {@value #FAULT_TAIL_S} s). A busy JVM's compiled
 * code does not cover what a quieter one runs (idle event loops, timers, connections opened again), and a C2
 * compilation of a large method needs more CPU than a fifth of a CPU has in a period: under the quota it stops the
 * whole process for a period or more (measured: after a warm-up that overloaded the mesh, A cost 4.8 ms per chain at
 * 50 requests/s and its p99 stayed above 75 ms for 60 s, falling to 10 ms once its compilers were done). Such
 * stops are the JIT's, not the architecture's, and would otherwise land in the first measured levels.
 */
final class WarmUp {

    /** Long enough for a new generator's JIT compilers at a few hundred requests per second. */
    static final Duration GENERATOR = Duration.ofSeconds(10);
    static final long STEP_MS = 2000;
    /** Some 6 000 sessions of 10 requests: enough connections for C2 to compile the per-connection code too. */
    static final long REQUESTS_PER_SERVER = 60_000;
    static final double GROWTH = 1.5;
    static final double BACK_OFF = 0.7;
    static final double BELOW_FAILED = 0.9;
    static final int HOLD = 5;
    static final int TAIL_S = 6;
    static final int MAX_TAIL_S = 60;
    /**
     * A fault run counts errors, not percentiles, so it need not wait for the last stop to pass (measured: with 2
     * servers and 2 peak-dns replicas at half their capacity the tail ran its whole minute unsettled).
     */
    static final int FAULT_TAIL_S = 6;
    /**
     * The system's compilers are done when each JVM's used less than this share of one CPU in a step: a fifth of it
     * would still be a tenth of a server's budget. Per JVM, as the budgets are: summed over RI2 PEAK's three JVMs, steps
     * in which each one's compilers used at most 0.02 of a CPU came to 0.03 to 0.045 (measured), and its tail once
     * ran its whole minute unsettled.
     */
    static final double QUIET_COMPILERS = 0.02;
    /** The last {@value #STEADY_STEPS} steps are steady when their CPU per request differs by at most this share. */
    static final double STEADY = 0.2;
    static final int STEADY_STEPS = 3;
    /** As a measured level is flagged: stopped by its quota for more than 1 % of the time. */
    static final double THROTTLED = Staircase.THROTTLED_SHARE;

    /** What the warm-up did: the next free level index, and how it ended. */
    record Done(int nextIndex, WarmUpOutcome outcome) {
    }

    private final SystemUnderTest system;
    private final LevelMeter meter;
    private final String primaryCall;
    private final double sloMs;
    private final int maxTailS;
    private int index;

    /**
     * @param index    the first level index it may use
     * @param maxTailS how long the tail may wait for the system to settle
     */
    WarmUp(SystemUnderTest system, LevelMeter meter, String primaryCall, double sloMs, int index, int maxTailS) {
        this.system = system;
        this.meter = meter;
        this.primaryCall = primaryCall;
        this.sloMs = sloMs;
        this.index = index;
        this.maxTailS = maxTailS;
    }

    /**
     * Climbs from {@code firstRate} towards {@code target} until {@code requests} primary requests were served or for at
     * most {@code time} with the budgets lifted, then puts them back and runs the tail. A new system's peak-dns is
     * warmed first, with the budgets lifted too: its clients ask it once per session, too few times to compile it.
     */
    Done run(double target, double firstRate, long requests, Duration time, boolean newSystem,
             CpuEnforcement enforcement) throws IOException, InterruptedException {
        system.liftBudgets();
        try {
            if (newSystem) {
                system.warmDns();
            }
            double floor = Math.min(firstRate, target);
            double rate = floor;
            double cap = Double.POSITIVE_INFINITY;
            int held = 0;
            long served = 0;
            boolean compiling = true;
            // the clock bounds it too: a cold system's step outlasts its nominal length (measured: RI2 PEAK's climb
            // of at most 60 nominal seconds took 119), and the quick profile's time is a promise
            long started = System.nanoTime();
            for (long spent = 0; Math.max(spent, (System.nanoTime() - started) / 1_000_000) < time.toMillis()
                    && (served < requests || compiling); spent += STEP_MS) {
                Map<String, Long> compiledBefore = system.compilerNanos();
                LevelMeasurement step = level(rate, STEP_MS).measurement();
                served += step.primaryCompleted();
                compiling = compiling(compiledBefore, system.compilerNanos(), STEP_MS / 1000.0);
                if (!keptUp(step)) {
                    level(0, 1000);
                    spent += 1000;
                    cap = Math.round(BELOW_FAILED * rate);
                    held = 0;
                    rate = Math.max(floor, Math.round(BACK_OFF * Math.min(rate, step.achievedRps())));
                } else {
                    if (rate >= cap && ++held >= HOLD) {
                        cap = Double.POSITIVE_INFINITY;
                    }
                    rate = Math.round(Math.min(Math.min(target, GROWTH * rate), cap));
                }
            }
        } finally {
            system.restoreBudgets(enforcement);
        }
        List<Double> costs = new ArrayList<>();
        int calm = 0;
        for (int tail = (int) (STEP_MS / 1000); ; tail += (int) (STEP_MS / 1000)) {
            Map<String, Long> compiledBefore = system.compilerNanos();
            LevelMeter.Metered step = level(firstRate, STEP_MS);
            boolean compiling = compiling(compiledBefore, system.compilerNanos(), STEP_MS / 1000.0);
            costs.add(systemUsPerRequest(step));
            List<Double> last = costs.subList(Math.max(0, costs.size() - STEADY_STEPS), costs.size());
            boolean steady = last.size() == STEADY_STEPS
                    && Collections.max(last) - Collections.min(last) <= STEADY * Collections.max(last);
            Map.Entry<String, Double> throttled = step.mostThrottled().orElse(Map.entry("none", 0.0));
            // a step can be steady and unthrottled at a low rate while C2 still works: its cost is not the warm one
            calm = throttled.getValue() <= THROTTLED && !compiling ? calm + 1 : 0;
            boolean settled = steady && calm >= STEADY_STEPS;
            if (tail >= TAIL_S && settled || tail >= maxTailS) {
                return new Done(index, new WarmUpOutcome(tail, settled, costs.get(costs.size() - 1),
                        throttled.getValue() > 0 ? throttled.getKey() : null, throttled.getValue()));
            }
        }
    }

    /**
     * Whether the JIT compilers of one of the system's JVMs used more than {@value #QUIET_COMPILERS} of a CPU over
     * {@code seconds}, from two readings of {@link SystemUnderTest#compilerNanos}; false where they cannot be read.
     */
    static boolean compiling(Map<String, Long> before, Map<String, Long> after, double seconds) {
        return after.entrySet().stream().anyMatch(jvm -> before.containsKey(jvm.getKey())
                && jvm.getValue() - before.get(jvm.getKey()) > QUIET_COMPILERS * seconds * 1e9);
    }

    private LevelMeter.Metered level(double rate, long ms) throws IOException, InterruptedException {
        return meter.run(List.of(new LevelCommand(index++, rate, 0, ms))).get(0);
    }

    private boolean keptUp(LevelMeasurement step) {
        return step.requests().ko() == 0 && step.call(primaryCall).p50Ms() <= sloMs / 2;
    }

    /** CPU µs per primary request of every instance but the generator's. */
    private static double systemUsPerRequest(LevelMeter.Metered step) {
        double nanos = step.cpu().values().stream().filter(r -> r.component() != Component.GENERATOR)
                .mapToDouble(r -> r.sample().usageNanos()).sum();
        return nanos / 1000.0 / Math.max(1, step.measurement().primaryCompleted());
    }
}
