package dev.peak.driver.experiment;

import java.io.PrintStream;
import java.util.Locale;

/** The console lines of a long experiment: elapsed time, what is running, and when the run should end. */
final class Progress {

    private final PrintStream out;
    private final long startedNanos = System.nanoTime();
    private final int planned;
    private int done;

    /** @param planned staircases and fault runs the experiment will run */
    Progress(PrintStream out, int planned) {
        this.out = out;
        this.planned = Math.max(1, planned);
    }

    void say(String format, Object... args) {
        out.printf(Locale.ROOT, "%s  %s%n", elapsed(), String.format(Locale.ROOT, format, args));
        out.flush();
    }

    /** One staircase or fault run is over: the ETA is the mean time of those so far times those left. */
    void done() {
        done++;
    }

    String eta() {
        if (done == 0) {
            return "ETA after the first staircase";
        }
        long perRun = (System.nanoTime() - startedNanos) / done;
        long left = perRun * Math.max(0, planned - done) / 1_000_000_000L;
        return String.format(Locale.ROOT, "%d of %d done, about %dm%02ds left", done, planned, left / 60, left % 60);
    }

    private String elapsed() {
        long s = (System.nanoTime() - startedNanos) / 1_000_000_000L;
        return String.format(Locale.ROOT, "[%dm%02ds]", s / 60, s % 60);
    }
}
