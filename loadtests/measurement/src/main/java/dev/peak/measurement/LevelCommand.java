package dev.peak.measurement;

import java.util.Locale;

/**
 * The driver's order to a load generator, one line on its standard input: offer {@code rate} primary requests
 * per second from now on, open the level's measuring window {@code settleMs} later and close it {@code windowMs}
 * after that. The rate holds until the next order, so levels follow each other without a gap.
 *
 * <p>Its line form is {@code level <index> <rate> <settleMs> <windowMs>}; {@value #STOP} ends the run.
 */
public record LevelCommand(int level, double rate, long settleMs, long windowMs) {

    /** The line that ends a generator's run. */
    public static final String STOP = "stop";
    private static final String KEYWORD = "level";

    public LevelCommand {
        if (level < 0) {
            throw new IllegalArgumentException("a level's index is 0 or more, not " + level);
        }
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("a level's rate is 0 or more requests/s, not " + rate);
        }
        if (settleMs < 0 || windowMs <= 0) {
            throw new IllegalArgumentException("a level settles for 0 ms or more and measures for more than 0 ms, not "
                    + settleMs + " and " + windowMs);
        }
    }

    public String toLine() {
        return String.format(Locale.ROOT, "%s %d %s %d %d", KEYWORD, level, rate, settleMs, windowMs);
    }

    /** Reads {@link #toLine()}; the error says what a line must look like. */
    public static LevelCommand parse(String line) {
        String[] words = line.strip().split("\\s+");
        if (words.length != 5 || !words[0].equals(KEYWORD)) {
            throw new IllegalArgumentException("not a level command: '" + line
                    + "' (expected: level <index> <rate> <settleMs> <windowMs>)");
        }
        try {
            return new LevelCommand(Integer.parseInt(words[1]), Double.parseDouble(words[2]), Long.parseLong(words[3]),
                    Long.parseLong(words[4]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a level command: '" + line + "' (" + e.getMessage() + ")", e);
        }
    }
}
