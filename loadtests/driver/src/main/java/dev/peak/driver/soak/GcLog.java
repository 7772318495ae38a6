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
 * A lab JVM's {@code -Xlog:gc} file, read as it grows: the heap left after its latest full collection, which is
 * what the JVM still holds alive, the figure that grows when something leaks. The heap after a young collection is
 * not: it includes whatever was promoted and has died since the last full one (measured: B's tokens, cached until
 * they expire and promoted meanwhile, raised it by 11 MiB a minute at 860 requests/s, while a full collection left
 * 26 MiB).
 */
public final class GcLog {

    /** {@code GC(12) Pause Full (Diagnostic Command) 80M->26M(247M) 389ms}: the heap before, after, and committed. */
    private static final Pattern FULL = Pattern.compile("GC\\(\\d+\\) Pause Full .*?(\\d+)([KMG])->(\\d+)([KMG])\\(");

    private final Path file;
    private long offset;

    public GcLog(Path file) {
        this.file = file;
    }

    /** The heap after the latest full collection among the lines written since the last call; empty if none. */
    public OptionalLong heapAfterFullGc() throws IOException {
        long latest = -1;
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
                    OptionalLong after = afterFullGc(line);
                    if (after.isPresent()) {
                        latest = after.getAsLong();
                    }
                }
            }
        }
        return latest < 0 ? OptionalLong.empty() : OptionalLong.of(latest);
    }

    /** The heap after the full collection a line reports, in bytes; empty for any other line. */
    static OptionalLong afterFullGc(String line) {
        Matcher m = FULL.matcher(line);
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
