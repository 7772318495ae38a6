package dev.peak.driver.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.peak.driver.results.Capacity;
import dev.peak.driver.results.ReportWriter;
import dev.peak.driver.results.Results;
import dev.peak.driver.results.SampleResults;
import dev.peak.driver.variant.Variant;

import picocli.CommandLine;

class SoakCommandTest {

    private static final Results SAMPLE = SampleResults.create();

    @Test
    void theLoadIsAFractionOfTheCapacityTheBenchMeasuredAtTheSameServersAndCost(@TempDir Path dir) throws IOException {
        ReportWriter.write(SAMPLE, dir);
        Capacity expected = SAMPLE.capacities().stream()
                .filter(c -> c.variant().equals("ri2-peak") && c.servers() == 2 && c.cost() == 1000).findFirst().orElseThrow();

        assertEquals(expected.maxRps(), command("--servers", "2", "--cost", "1000").measured(dir, Variant.of("ri2-peak")));
    }

    @Test
    void aBenchMeasuredAtOtherCpuBudgetsIsRefused(@TempDir Path dir) throws IOException {
        ReportWriter.write(SAMPLE, dir);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> command("--cpus-per-server", "1").measured(dir, Variant.of("ri2-peak")));
        assertTrue(refused.getMessage().contains("--cpus-per-server"), refused.getMessage());
    }

    @Test
    void aCapacityTheBenchDidNotMeasureIsRefusedWithWhatItHas(@TempDir Path dir) throws IOException {
        ReportWriter.write(SAMPLE, dir);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> command("--servers", "7").measured(dir, Variant.of("ri2-peak")));
        assertTrue(refused.getMessage().contains("ri2-peak/1/0") && refused.getMessage().contains("--capacity ri2-peak="),
                refused.getMessage());
    }

    private static SoakCommand command(String... args) {
        SoakCommand soak = new SoakCommand();
        new CommandLine(soak).parseArgs(args);
        return soak;
    }
}
