package dev.peak.driver.experiment;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.peak.measurement.Tick;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What a long experiment tells its user as it goes: lines that stay (a step began or ended, a level's verdict), and
 * a status of the level running now, from the generator's second-by-second ticks. On a terminal the status is the
 * message of a progress bar over the plan, redrawn every second; elsewhere (CI logs, pipes) it is a plain line every
 * few seconds, which a log keeps readable.
 */
final class Progress implements AutoCloseable {

    /** How often the status is printed as a line of its own where no bar can be redrawn. */
    static final Duration PLAIN_EVERY = Duration.ofSeconds(5);

    private final PrintStream out;
    private final long startedNanos = System.nanoTime();
    private final int planned;
    private final ProgressBar bar;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Read by the bar's own thread for the ETA. */
    private volatile int done;
    /** When the last staircase or fault run ended, since the start. */
    private volatile long doneAtNanos;
    private long lastPlainNanos;
    /**
     * Length of the bar as last drawn: a line printed over it must cover it. Guarded by {@code out}, the one lock of
     * everything printed; nothing holding it calls into the bar, whose thread takes it while holding the bar's own.
     */
    private int drawn;

    /**
     * @param planned  staircases and fault runs the experiment will run
     * @param terminal whether {@code out} is a terminal, where a bar can be redrawn in place
     */
    Progress(PrintStream out, int planned, boolean terminal) {
        this.out = out;
        this.planned = Math.max(1, planned);
        this.bar = terminal ? new ProgressBarBuilder().setTaskName("bench").setInitialMax(this.planned)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000).continuousUpdate()
                .setEtaFunction(state -> Optional.ofNullable(left()))
                .setConsumer(new DelegatingProgressBarConsumer(this::draw)).build() : null;
    }

    /** A line that stays, above the bar if there is one. */
    void say(String format, Object... args) {
        String line = String.format(Locale.ROOT, "%s  %s", elapsed(), String.format(Locale.ROOT, format, args));
        synchronized (out) {
            // a bar is drawn from the start of its line: the message writes over it, and the bar's next redraw (within
            // a second) comes back below
            out.print((bar == null ? "" : "\r") + line + " ".repeat(Math.max(0, drawn - line.length())) + "\n");
            drawn = 0;
            out.flush();
        }
    }

    /** One staircase or fault run is over: the ETA follows the mean time of those so far. */
    void done() {
        doneAtNanos = System.nanoTime() - startedNanos;
        done++;
        if (bar != null) {
            // what it said was the staircase that just ended
            bar.setExtraMessage("");
            bar.stepTo(done);
        }
    }

    String eta() {
        Duration left = left();
        if (left == null) {
            return "ETA after the first staircase";
        }
        return String.format(Locale.ROOT, "%d of %d done, about %s left", done, planned, minutes(left));
    }

    /**
     * A listener that turns the generator's ticks into the status of {@code what} is running (variant, servers, cost):
     * the level (L3), the rate it offers and the one achieved in the last second, OK and KO so far, the p99 so far,
     * the generator's CPU; the bar adds the elapsed time and the ETA.
     */
    LoadGenerator.Listener live(String what) {
        return new LoadGenerator.Listener() {
            private int level = Integer.MIN_VALUE;
            private long ok;
            private long ko;

            @Override
            public void tick(Tick tick) {
                if (tick.level() != level) {
                    level = tick.level();
                    ok = 0;
                    ko = 0;
                }
                ok += tick.ok();
                ko += tick.ko();
                // short: beside the bar it must fit a terminal's width
                status(String.format(Locale.ROOT, "%s · %s %.0f→%d/s OK %d KO %d p99 %s · gen %.2f CPU", what,
                        level < 0 ? "starting" : "L" + level, tick.rate(), tick.ok() + tick.ko(), ok, ko,
                        tick.p99Ms() > 0 ? String.format(Locale.ROOT, "%.1fms", tick.p99Ms()) : "—", tick.cpuS()));
            }
        };
    }

    /** The bar's last line is left as it is, with the run's end; closing again does nothing. */
    @Override
    public void close() {
        if (bar != null && !closed.getAndSet(true)) {
            bar.close();
        }
    }

    private void status(String text) {
        if (bar != null) {
            bar.setExtraMessage(text);
            return;
        }
        long now = System.nanoTime();
        if (now - lastPlainNanos >= PLAIN_EVERY.toNanos()) {
            lastPlainNanos = now;
            String eta = left() == null ? "" : " · ETA " + minutes(left());
            synchronized (out) {
                out.printf(Locale.ROOT, "%s  … %s%s%n", elapsed(), text, eta);
                out.flush();
            }
        }
    }

    private void draw(String rendered) {
        synchronized (out) {
            drawn = rendered.length();
            out.print("\r" + rendered);
            out.flush();
        }
    }

    /**
     * The time left: the plan at the mean time per staircase or fault run of those finished, less the time so far,
     * so that it counts down during a staircase; null before the first.
     */
    private Duration left() {
        int finished = done;
        if (finished == 0) {
            return null;
        }
        long perRun = doneAtNanos / finished;
        return Duration.ofNanos(Math.max(0, perRun * planned - (System.nanoTime() - startedNanos)));
    }

    private String elapsed() {
        return "[" + minutes(Duration.ofNanos(System.nanoTime() - startedNanos)) + "]";
    }

    private static String minutes(Duration d) {
        long s = d.toSeconds();
        return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
