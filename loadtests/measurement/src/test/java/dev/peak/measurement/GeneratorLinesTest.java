package dev.peak.measurement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class GeneratorLinesTest {

    @Test
    void aGeneratorLineIsItsTagAndItsJson() {
        String line = GeneratorLines.line(GeneratorLines.LEVEL, "{\"level\":3}");
        assertEquals(new GeneratorLines.Tagged(GeneratorLines.LEVEL, "{\"level\":3}"), GeneratorLines.parse(line).orElseThrow());
        assertEquals(new GeneratorLines.Tagged(GeneratorLines.READY, "{}"), GeneratorLines.parse("@peak-ready").orElseThrow());
    }

    @Test
    void gatlingsOwnConsoleIsNotAGeneratorLine() {
        for (String line : List.of("", "Simulation dev.peak.simulations.Ri1PeakSimulation started...",
                "---- Requests ------------------------------------------------------------------",
                "> Work                                                     (OK=4812   KO=0     )")) {
            assertTrue(GeneratorLines.parse(line).isEmpty(), line);
        }
    }

    @Test
    void ticksOfSeveralGeneratorsAreAddedByWallClockSecond() {
        List<Tick> first = List.of(new Tick(0, 10_000, 1, 100, 90, 0, 0, 2, 0.1), new Tick(1, 11_000, 1, 100, 100, 1, 1, 3, 0.1));
        List<Tick> second = List.of(new Tick(0, 11_400, 1, 100, 80, 2, 1, 5, 0.2));

        List<Tick> merged = Tick.merge(List.of(first, second));

        assertEquals(List.of(new Tick(0, 10_000, 1, 100, 90, 0, 0, 2, 0.1), new Tick(1, 11_000, 1, 200, 180, 3, 2, 5, 0.30000000000000004)), merged);
    }
}
