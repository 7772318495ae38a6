package dev.peak.driver.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What one lab instance holds at a moment, summed over its process and the processes it started (HAProxy's and nginx's
 * workers): resident memory, open file descriptors, and for a JVM the heap its last collections left.
 *
 * @param heapAfterGcBytes null for a process that is not a lab JVM, or before its first collection
 */
public record Footprint(long rssBytes, long fds, Long heapAfterGcBytes) {

    private static final Path PROC = Path.of("/proc");

    /** Reads {@code processes} from /proc now; a process that exited meanwhile counts as nothing. */
    public static Footprint of(List<ProcessHandle> processes, Long heapAfterGcBytes) throws IOException {
        long rss = 0;
        long fds = 0;
        for (ProcessHandle p : processes) {
            rss += rssBytes(PROC.resolve(Long.toString(p.pid())));
            fds += fds(PROC.resolve(Long.toString(p.pid())));
        }
        return new Footprint(rss, fds, heapAfterGcBytes);
    }

    /** VmRSS of /proc/PID/status, in bytes; 0 when the process is gone. */
    static long rssBytes(Path proc) throws IOException {
        try (Stream<String> lines = Files.lines(proc.resolve("status"))) {
            return lines.filter(l -> l.startsWith("VmRSS:")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).orElse(0L);
        } catch (java.nio.file.NoSuchFileException e) {
            return 0;
        }
    }

    private static long fds(Path proc) throws IOException {
        try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
            return fds.count();
        } catch (java.nio.file.NoSuchFileException e) {
            return 0;
        }
    }
}
