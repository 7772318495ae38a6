package dev.peak.driver.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.peak.driver.lab.LabCommand;
import dev.peak.driver.results.Results;

/** The whole chain behind make bench, in its smoke profile: lab, simulations, staircase, faults, report. */
class BenchSmokeIT {

    @Test
    void smokeProfileMeasuresEveryVariantAndWritesTheReport() throws Exception {
        Path root = LabCommand.projectRoot();
        Path resultsBase = Files.createDirectories(root.resolve("loadtests/driver/target/bench-it"));
        Process process = new ProcessBuilder(root.resolve("loadtests/scale.sh").toString(), "bench", "--profile", "smoke",
                "--results", resultsBase.toString()).redirectErrorStream(true)
                .redirectOutput(resultsBase.resolve("bench.log").toFile()).start();
        assertEquals(0, process.waitFor(), Files.readString(resultsBase.resolve("bench.log")));

        Path latest = resultsBase.resolve("latest");
        Results results = new ObjectMapper().readValue(latest.resolve("results.json").toFile(), Results.class);
        assertEquals(Set.of("ri1-direct", "ri1-peak", "ri1-haproxy", "ri1-nginx", "ri2-peak", "ri2-mesh"),
                results.runs().stream().map(r -> r.variant()).collect(Collectors.toSet()));
        assertEquals(12, results.runs().size(), "every variant at 1 and 2 servers");
        assertEquals(Set.of("kill-server", "kill-proxy", "kill-dns-replica"),
                results.faults().stream().map(f -> f.fault()).collect(Collectors.toSet()));
        assertTrue(results.runs().stream().allMatch(r -> r.steps().stream().allMatch(s -> s.ok() > 0)),
                "every step served requests");
        for (String file : new String[]{"results.csv", "index.html", "echarts.min.js"}) {
            assertTrue(Files.size(latest.resolve(file)) > 0, file);
        }
        String log = Files.readString(resultsBase.resolve("bench.log"));
        assertTrue(log.contains("Report: "), log);
    }
}
