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
    void readsTheHeapAfterEachKindOfPause() {
        assertEquals(OptionalLong.of(9L << 20), GcLog.afterBytes(
                "[2026-12-07T16:40:19.207+0000][163.049s][info][gc] GC(43) Pause Young (Allocation Failure) 77M->9M(247M) 0.791ms"));
        assertEquals(OptionalLong.of(6L << 20), GcLog.afterBytes(
                "[1.5s][info][gc] GC(0) Pause Full (Metadata GC Threshold) 45M->6M(247M) 75.567ms"));
        assertEquals(OptionalLong.of(900L << 10), GcLog.afterBytes(
                "[0.9s][info][gc] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 2048K->900K(256M) 1.2ms"));
        assertEquals(OptionalLong.empty(), GcLog.afterBytes("[0.006s][info][gc] Using Serial"));
    }

    @Test
    void eachReadTakesTheFloorOfTheNewLinesAndKeepsTheLastWhenNoneCame(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("b-1.gc.log");
        GcLog log = new GcLog(file);
        assertEquals(OptionalLong.empty(), log.heapAfterGc(), "no file yet");

        append(file, "GC(1) Pause Young (Allocation Failure) 77M->12M(247M) 1ms\n"
                + "GC(2) Pause Young (Allocation Failure) 77M->9M(247M) 1ms\n");
        assertEquals(OptionalLong.of(9L << 20), log.heapAfterGc());

        append(file, "GC(3) Pause Young (Allocation Failure) 77M->11M(247M) 1ms\nGC(4) Pause Young (Allo");
        assertEquals(OptionalLong.of(11L << 20), log.heapAfterGc(), "the half-written line waits");
        assertEquals(OptionalLong.of(11L << 20), log.heapAfterGc(), "no collection since: the last one");

        append(file, "cation Failure) 77M->10M(247M) 1ms\n");
        assertEquals(OptionalLong.of(10L << 20), log.heapAfterGc());
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
