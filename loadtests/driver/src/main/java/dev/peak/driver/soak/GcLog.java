package dev.peak.driver.soak;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A lab JVM's {@code -Xlog:gc} file, read as it grows: the heap left after each collection. The floor of those values
 * over a minute is what the minute's garbage could not free, the figure that grows when something leaks. Read from
 * the log rather than forced by a full collection, so that measuring does not pause the service it measures.
 */
public final class GcLog {

    /** {@code GC(12) Pause Young (Allocation Failure) 77M->9M(247M) 0.8ms}: the heap before, after, and committed. */
    private static final Pattern PAUSE = Pattern.compile("GC\\(\\d+\\) Pause .*?(\\d+)([KMG])->(\\d+)([KMG])\\(");

    private final Path file;
    private long offset;
    private long lastAfterBytes = -1;

    public GcLog(Path file) {
        this.file = file;
    }

    /**
     * The lowest heap after a collection among the lines written since the last call; when no collection ran since,
     * the last one seen before; empty until the first collection.
     */
    public OptionalLong heapAfterGc() throws IOException {
        long floor = Long.MAX_VALUE;
        if (Files.isRegularFile(file)) {
            try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                in.seek(offset);
                byte[] bytes = new byte[(int) Math.max(0, in.length() - offset)];
                in.readFully(bytes);
                String text = new String(bytes, StandardCharsets.UTF_8);
                // a line still being written waits for the next call
                int complete = text.lastIndexOf('\n') + 1;
                offset += text.substring(0, complete).getBytes(StandardCharsets.UTF_8).length;
                for (String line : text.substring(0, complete).split("\n")) {
                    OptionalLong after = afterBytes(line);
                    if (after.isPresent()) {
                        floor = Math.min(floor, after.getAsLong());
                    }
                }
            }
        }
        if (floor != Long.MAX_VALUE) {
            lastAfterBytes = floor;
        }
        return lastAfterBytes < 0 ? OptionalLong.empty() : OptionalLong.of(lastAfterBytes);
    }

    /** The heap after the collection a line reports, in bytes; empty for any other line. */
    static OptionalLong afterBytes(String line) {
        Matcher m = PAUSE.matcher(line);
        if (!m.find()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(m.group(3)) * unit(m.group(4)));
    }

    private static long unit(String suffix) {
        return switch (suffix) {
            case "K" -> 1L << 10;
            case "M" -> 1L << 20;
            default -> 1L << 30;
        };
    }
}
