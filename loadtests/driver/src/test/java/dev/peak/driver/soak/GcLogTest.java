package dev.peak.driver.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcLogTest {

    @Test
    void readsTheHeapAfterAFullCollectionOnly() {
        assertEquals(OptionalLong.of(26L << 20), GcLog.afterFullGc(
                "[2026-12-07T18:26:23.360+0000][392.640s][info][gc] GC(379) Pause Full (Diagnostic Command) 80M->26M(247M) 388.959ms"));
        assertEquals(OptionalLong.of(900L << 10), GcLog.afterFullGc(
                "[0.9s][info][gc] GC(3) Pause Full (System.gc()) 2048K->900K(256M) 12.2ms"));
        // a young collection's heap still holds what was promoted and died since: not what is alive
        assertEquals(OptionalLong.empty(), GcLog.afterFullGc(
                "[2026-12-07T16:40:19.207+0000][163.049s][info][gc] GC(43) Pause Young (Allocation Failure) 77M->9M(247M) 0.791ms"));
        assertEquals(OptionalLong.empty(), GcLog.afterFullGc("[0.006s][info][gc] Using Serial"));
    }

    @Test
    void eachReadTakesTheLatestFullCollectionWrittenSinceTheLast(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("b-1.gc.log");
        GcLog log = new GcLog(file);
        assertEquals(OptionalLong.empty(), log.heapAfterFullGc(), "no file yet");

        append(file, "GC(1) Pause Full (Diagnostic Command) 77M->12M(247M) 1ms\n"
                + "GC(2) Pause Full (Diagnostic Command) 77M->14M(247M) 1ms\n"
                + "GC(3) Pause Young (Allocation Failure) 77M->30M(247M) 1ms\n");
        assertEquals(OptionalLong.of(14L << 20), log.heapAfterFullGc());

        append(file, "GC(4) Pause Full (Diagnostic Command) 77M->11M(247M) 1ms\nGC(5) Pause Full (Diagn");
        assertEquals(OptionalLong.of(11L << 20), log.heapAfterFullGc(), "the half-written line waits");
        assertEquals(OptionalLong.empty(), log.heapAfterFullGc(), "none since");

        append(file, "ostic Command) 77M->10M(247M) 1ms\n");
        assertEquals(OptionalLong.of(10L << 20), log.heapAfterFullGc());
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
