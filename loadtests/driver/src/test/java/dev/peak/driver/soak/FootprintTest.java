package dev.peak.driver.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FootprintTest {

    @Test
    void readsThisJvmsResidentMemoryAndDescriptors() throws IOException {
        Footprint self = Footprint.of(List.of(ProcessHandle.current()), null);

        assertTrue(self.rssBytes() > 10L << 20, "a JVM holds more than 10 MiB: " + self.rssBytes());
        assertTrue(self.fds() > 3, "stdin, stdout, stderr and the JDK's own: " + self.fds());
    }

    @Test
    void aProcessThatExitedCountsAsNothing(@TempDir Path dir) throws IOException {
        assertEquals(0, Footprint.rssBytes(dir.resolve("no-such-pid")));
    }

    @Test
    void readsVmRssInKibibytes(@TempDir Path proc) throws IOException {
        Files.writeString(proc.resolve("status"), "Name:\tjava\nVmPeak:\t  999 kB\nVmRSS:\t  2048 kB\n");

        assertEquals(2048L << 10, Footprint.rssBytes(proc));
    }
}
