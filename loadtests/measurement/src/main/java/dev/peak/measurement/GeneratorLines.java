package dev.peak.measurement;

import java.util.Optional;

/**
 * The lines a load generator writes for its driver on standard output, among Gatling's own: one tag, a space, one
 * JSON object. Gatling's console lines never start with {@code @peak-}.
 *
 * <ul>
 *   <li>{@link #READY}: users are arriving; the generator reads orders ({@link LevelCommand}) from now on
 *   <li>{@link #WINDOW}: {@code {"level":i,"open":true|false,"epochMs":…}} when a level's window opens and closes
 *   <li>{@link #LEVEL}: a {@link LevelMeasurement}, once every request sent in the window has ended
 *   <li>{@link #TICK}: a {@link Tick}, every second
 *   <li>{@link #RESULT}: everything at once ({@link GeneratorReport}), at the end of a run that had no driver
 *       to talk to (a generator pod following a schedule)
 * </ul>
 */
public final class GeneratorLines {

    public static final String READY = "@peak-ready";
    public static final String WINDOW = "@peak-window";
    public static final String LEVEL = "@peak-level";
    public static final String TICK = "@peak-tick";
    public static final String RESULT = "@peak-result";

    private GeneratorLines() {
    }

    /** {@code tag json} as one line. */
    public static String line(String tag, String json) {
        return tag + " " + json;
    }

    /** The tag and the JSON of a generator's line, or empty for any other output (Gatling's console). */
    public static Optional<Tagged> parse(String line) {
        if (!line.startsWith("@peak-")) {
            return Optional.empty();
        }
        int space = line.indexOf(' ');
        return Optional.of(space < 0 ? new Tagged(line, "{}") : new Tagged(line.substring(0, space), line.substring(space + 1)));
    }

    /** One generator line: its tag and its JSON. */
    public record Tagged(String tag, String json) {
    }

    /** {@link #WINDOW}'s object. */
    public record Window(int level, boolean open, long epochMs) {
    }
}
