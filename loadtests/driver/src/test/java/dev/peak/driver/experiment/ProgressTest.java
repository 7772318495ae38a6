package dev.peak.driver.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.peak.measurement.Tick;

class ProgressTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final Progress progress = new Progress(new PrintStream(printed, true, StandardCharsets.UTF_8), 4, false);

    @Test
    void withoutATerminalTheLevelsStatusIsAPlainLineAtMostEveryFewSeconds() {
        LoadGenerator.Listener live = progress.live("ri1-peak, 2 srv, cost 1000");
        live.tick(new Tick(0, 0, 3, 800, 790, 2, 0, 4.25, 0.31));
        live.tick(new Tick(1, 1000, 3, 800, 805, 0, 0, 4.5, 0.3));

        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), "a CI log gets one line per " + Progress.PLAIN_EVERY + ", not one per second");
        assertTrue(lines.get(0).endsWith("ri1-peak, 2 srv, cost 1000 · L3 800→792/s OK 790 KO 2 p99 4.3ms · gen 0.31 CPU"),
                lines.get(0));
    }

    @Test
    void theEtaComesWithTheFirstFinishedStaircaseFromTheMeanTimeOfThoseSoFar() {
        assertEquals("ETA after the first staircase", progress.eta());
        progress.done();
        assertTrue(progress.eta().matches("1 of 4 done, about 0m0[0-9]s left"), progress.eta());
    }
}
