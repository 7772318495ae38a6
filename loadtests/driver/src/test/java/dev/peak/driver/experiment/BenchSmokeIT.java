package dev.peak.driver.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.peak.driver.lab.LabCommand;
import dev.peak.driver.results.BrowserCheck;
import dev.peak.driver.results.Level;
import dev.peak.driver.results.Results;
import dev.peak.driver.variant.Client;
import dev.peak.driver.variant.FaultKind;
import dev.peak.driver.variant.Variant;

/**
 * The whole chain behind make bench, in its smoke profile: lab, warm generators steered level by level, faults,
 * report. Its levels are a few percent of any variant's capacity: every one of them must pass.
 */
class BenchSmokeIT {

    @Test
    void smokeProfileMeasuresEveryVariantEveryLevelPassesAndTheReportIsWritten() throws Exception {
        Path root = LabCommand.projectRoot();
        Path resultsBase = Files.createDirectories(root.resolve("loadtests/driver/target/bench-it"));
        Process process = new ProcessBuilder(root.resolve("loadtests/scale.sh").toString(), "bench", "--profile", "smoke",
                "--results", resultsBase.toString()).redirectErrorStream(true)
                .redirectOutput(resultsBase.resolve("bench.log").toFile()).start();
        assertEquals(0, process.waitFor(), Files.readString(resultsBase.resolve("bench.log")));

        Path latest = resultsBase.resolve("latest");
        Results results = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .readValue(latest.resolve("results.json").toFile(), Results.class);
        assertEquals(Arrays.stream(Variant.values()).map(Variant::id).collect(Collectors.toSet()),
                results.runs().stream().map(r -> r.variant()).collect(Collectors.toSet()));
        assertEquals(Set.of(FaultKind.KILL_SERVER, FaultKind.KILL_PROXY, FaultKind.KILL_DNS_REPLICA),
                results.faults().stream().map(f -> f.fault()).collect(Collectors.toSet()));
        // RI1 PEAK's server is killed under Gatling's clients and under peak-client's, which lose nothing
        var failover = results.faults().stream().filter(f -> f.client() == Client.PEAK_CLIENT).toList();
        assertEquals(1, failover.size(), results.faults().toString());
        assertEquals(FaultKind.KILL_SERVER, failover.get(0).fault());
        assertEquals(0, failover.get(0).errors(), "peak-client sent every request that met the dead server elsewhere");
        for (var run : results.runs()) {
            for (Level level : run.levels()) {
                assertTrue(level.passed(), run.variant() + " level " + level.index() + " at " + level.rate() + " rps: "
                        + level.verdict() + ", p99 " + level.primary().p99Ms() + " ms, " + level.ko() + " KO");
            }
        }
        assertTrue(results.costs().stream().anyMatch(c -> c.role().equals("generator") && c.cpuUsPerRequest() > 0),
                "the generator's own CPU is counted");
        for (String file : new String[]{"results.csv", "index.html", "echarts.min.js", "model.json"}) {
            assertTrue(Files.size(latest.resolve(file)) > 0, file);
        }
        String log = Files.readString(resultsBase.resolve("bench.log"));
        assertTrue(log.contains("Report: "), log);
        // the model at scale ran on what was measured
        assertTrue(log.contains("RQ3 — How does PEAK scale"), log);
        // as a reader's browser draws it: no script error, no chart without data points; no chromium fails the test
        BrowserCheck.assertDrawsEveryChartWithoutErrors(latest.resolve("index.html"));
    }
}
