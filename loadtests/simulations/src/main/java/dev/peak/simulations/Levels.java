package dev.peak.simulations;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.HdrHistogram.ConcurrentHistogram;

import dev.peak.measurement.Counts;
import dev.peak.measurement.Latency;
import dev.peak.measurement.LevelCommand;
import dev.peak.measurement.LevelMeasurement;
import dev.peak.measurement.Tick;

/**
 * The generator's side of a staircase: the rate being offered, the level whose window is open, and what each
 * level measured. Thread-safe: Gatling records from its event loops, orders arrive on another thread, windows
 * open and close on a timer.
 *
 * <p>The offered rate is applied by thinning: users arrive at {@code maxRate / k} per second (a Poisson process)
 * and each one starts a client session with probability {@code rate / maxRate}, which leaves a Poisson process of
 * {@code rate / k} sessions per second. So the rate changes the moment an order arrives, in the same warm JVM.
 *
 * <p>A request belongs to the level whose window was open when it was sent, and is followed to its end; a level
 * is reported once its window has closed and every request it sent has ended (they all do: each has a timeout).
 */
final class Levels {

    /** The latency entry of whole client sessions. */
    static final String SESSION = "session";
    /** The latency entry of what one primary call costs the client, its share of the session's setup included. */
    static final String TRANSACTION = "transaction";
    /** No window is open. */
    static final int NONE = -1;

    private final double maxRate;
    private final String primary;
    private final List<String> kinds;
    private final ScheduledExecutorService timer;
    private final Consumer<LevelMeasurement> onLevel;
    private final Consumer<Integer> onWindowOpen;
    private final Consumer<Integer> onWindowClose;
    private final OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);

    private final Map<Integer, Level> levels = new ConcurrentHashMap<>();
    private volatile double rate;
    private volatile int ordered = NONE;
    private volatile Level open;
    private final LongAdder tickOk = new LongAdder();
    private final LongAdder tickKo = new LongAdder();
    private final LongAdder tickShed = new LongAdder();
    /** The process's CPU time at the last tick; only the ticking thread reads and writes it. */
    private long tickCpuNanos = os.getProcessCpuTime();

    /**
     * @param kinds         the request kinds this simulation times; {@code primary} is the one rates count
     * @param onLevel       gets each level's measurement, once
     * @param onWindowOpen  told when a level's window opens (the driver reads CPU counters then)
     */
    Levels(double maxRate, String primary, List<String> kinds, ScheduledExecutorService timer,
           Consumer<LevelMeasurement> onLevel, Consumer<Integer> onWindowOpen, Consumer<Integer> onWindowClose) {
        this.maxRate = maxRate;
        this.primary = primary;
        this.kinds = List.copyOf(kinds);
        this.timer = timer;
        this.onLevel = onLevel;
        this.onWindowOpen = onWindowOpen;
        this.onWindowClose = onWindowClose;
    }

    /**
     * Offers {@code order.rate()} from now on and measures the order's window; a window still open is closed
     * now. {@code then} runs when the new window closes (a schedule's next order).
     */
    synchronized void order(LevelCommand order, Runnable then) {
        if (order.rate() > maxRate) {
            throw new IllegalArgumentException("level " + order.level() + " asks for " + order.rate()
                    + " requests/s, above this generator's maximum (peak.maxRate) " + maxRate);
        }
        if (levels.containsKey(order.level())) {
            throw new IllegalArgumentException("level " + order.level() + " was measured already");
        }
        closeWindow();
        rate = order.rate();
        ordered = order.level();
        Level level = new Level(order.level(), order.rate(), kinds);
        levels.put(order.level(), level);
        timer.schedule(() -> openWindow(level), order.settleMs(), TimeUnit.MILLISECONDS);
        timer.schedule(() -> {
            if (closeWindow(level)) {
                then.run();
            }
        }, order.settleMs() + order.windowMs(), TimeUnit.MILLISECONDS);
    }

    /** Whether a newly arrived user becomes a client session (thinning). */
    boolean admit() {
        double r = rate;
        return r > 0 && ThreadLocalRandom.current().nextDouble() * maxRate < r;
    }

    /** The level whose window is open, {@link #NONE} if none. */
    int openLevel() {
        Level level = open;
        return level == null ? NONE : level.index;
    }

    void sessionStarted(int level) {
        Level l = level == NONE ? null : levels.get(level);
        if (l != null) {
            l.sessionsStarted.increment();
        }
    }

    /** A request of {@code level} (its window was open when it was sent) is on its way. */
    void sent(int level) {
        Level l = level == NONE ? null : levels.get(level);
        if (l != null) {
            l.inFlight.incrementAndGet();
        }
    }

    /**
     * A request ended. {@code micros} is its latency, {@code transactionMicros} the transaction's (the request's
     * plus its share of the session's setup) for the primary kind; instances count only when OK. {@code shed}: it
     * failed because a server refused it for being overloaded.
     */
    void ended(int level, String kind, boolean ok, boolean shed, long micros, long transactionMicros,
               Collection<String> instances) {
        (ok ? tickOk : tickKo).increment();
        if (shed) {
            tickShed.increment();
        }
        Level now = open;
        if (now != null && kind.equals(primary)) {
            now.primaryCompleted.increment();
        }
        Level l = level == NONE ? null : levels.get(level);
        if (l == null) {
            return;
        }
        if (ok) {
            l.ok.increment();
            l.latency.get(kind).recordValue(micros);
            if (kind.equals(primary)) {
                l.latency.get(TRANSACTION).recordValue(transactionMicros);
            }
            for (String instance : instances) {
                l.perInstance.computeIfAbsent(instance, name -> new LongAdder()).increment();
            }
        } else {
            l.ko.increment();
            if (shed) {
                l.shed.increment();
            }
        }
        if (l.inFlight.decrementAndGet() == 0 && l.announced) {
            report(l);
        }
    }

    /** A whole client session of {@code level} ended OK, {@code micros} after it started. */
    void sessionEnded(int level, long micros) {
        Level l = level == NONE ? null : levels.get(level);
        if (l != null) {
            l.latency.get(SESSION).recordValue(micros);
        }
    }

    /** Second {@code second} of the run, which just ended: for progress and fault timelines. */
    Tick tick(long second) {
        Level level = open;
        Level current = levels.get(ordered);
        double p99 = level == null ? 0 : level.latency.get(primary).getValueAtPercentile(99) / 1000.0;
        long cpuNanos = os.getProcessCpuTime();
        double cpuS = (cpuNanos - tickCpuNanos) / 1e9;
        tickCpuNanos = cpuNanos;
        return new Tick(second, System.currentTimeMillis() - 1000, current == null ? NONE : current.index, rate,
                tickOk.sumThenReset(), tickKo.sumThenReset(), tickShed.sumThenReset(), p99, cpuS);
    }

    /** Stops offering load: users still arriving start no session. */
    void halt() {
        rate = 0;
        closeWindow();
    }

    private synchronized void openWindow(Level level) {
        if (level.closed.get() || open == level) {
            return;
        }
        level.openEpochMs = System.currentTimeMillis();
        level.openCpuNanos = os.getProcessCpuTime();
        open = level;
        onWindowOpen.accept(level.index);
    }

    private synchronized void closeWindow() {
        Level level = open;
        if (level != null) {
            closeWindow(level);
        } else {
            Level ordered = levels.get(this.ordered);
            if (ordered != null && !ordered.closed.get()) {
                // ordered but not yet open: it will never be, and it is reported empty
                closeWindow(ordered);
            }
        }
    }

    /** Closes the level's window if it is still open; false when it was closed already. */
    private synchronized boolean closeWindow(Level level) {
        if (!level.closed.compareAndSet(false, true)) {
            return false;
        }
        if (level.openEpochMs == 0) {
            level.openEpochMs = System.currentTimeMillis();
            level.openCpuNanos = os.getProcessCpuTime();
        }
        level.closeEpochMs = System.currentTimeMillis();
        level.closeCpuNanos = os.getProcessCpuTime();
        if (open == level) {
            open = null;
        }
        onWindowClose.accept(level.index);
        // reported only once its close is told: the driver reads the counters as it hears it, and a level whose last
        // request ended meanwhile, reported first, left them unread (its CPU per request 0, its window 0 s)
        level.announced = true;
        if (level.inFlight.get() == 0) {
            report(level);
        }
        return true;
    }

    private void report(Level level) {
        if (level.reported.compareAndSet(false, true)) {
            onLevel.accept(level.measurement());
        }
    }

    /** One level's accumulators. */
    private static final class Level {
        final int index;
        final double rate;
        final Map<String, ConcurrentHistogram> latency = new LinkedHashMap<>();
        final Map<String, LongAdder> perInstance = new ConcurrentHashMap<>();
        final LongAdder sessionsStarted = new LongAdder();
        final LongAdder ok = new LongAdder();
        final LongAdder ko = new LongAdder();
        final LongAdder shed = new LongAdder();
        final LongAdder primaryCompleted = new LongAdder();
        final AtomicLong inFlight = new AtomicLong();
        final AtomicBoolean closed = new AtomicBoolean();
        final AtomicBoolean reported = new AtomicBoolean();
        /** Its window closed and the close was told (after {@link #closed}, which only guards closing twice). */
        volatile boolean announced;
        volatile long openEpochMs;
        volatile long openCpuNanos;
        volatile long closeEpochMs;
        volatile long closeCpuNanos;

        Level(int index, double rate, List<String> kinds) {
            this.index = index;
            this.rate = rate;
            // filled here, read-only afterwards: shared without locking
            for (String kind : kinds) {
                latency.put(kind, new ConcurrentHistogram(Latency.SIGNIFICANT_DIGITS));
            }
            latency.put(TRANSACTION, new ConcurrentHistogram(Latency.SIGNIFICANT_DIGITS));
            latency.put(SESSION, new ConcurrentHistogram(Latency.SIGNIFICANT_DIGITS));
        }

        LevelMeasurement measurement() {
            Map<String, Latency> latencies = new LinkedHashMap<>();
            latency.forEach((kind, histogram) -> latencies.put(kind, Latency.of(histogram.copy())));
            Map<String, Long> instances = new TreeMap<>();
            perInstance.forEach((name, count) -> instances.put(name, count.sum()));
            return new LevelMeasurement(index, rate, openEpochMs, closeEpochMs, sessionsStarted.sum(),
                    new Counts(ok.sum(), ko.sum(), shed.sum()), primaryCompleted.sum(), latencies, instances,
                    (closeCpuNanos - openCpuNanos) / 1e9);
        }
    }
}
