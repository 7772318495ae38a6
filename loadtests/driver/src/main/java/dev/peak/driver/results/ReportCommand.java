package dev.peak.driver.results;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code scale.sh report DIR}: writes the report of an earlier run again from its results.json, every derived
 * figure (capacities, latency added, costs by component, answers) computed anew from the measurements.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write results.csv and index.html again from a results folder's results.json.")
public final class ReportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "A results folder, e.g. results/latest")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Path json = dir.resolve("results.json");
        if (!Files.isRegularFile(json)) {
            throw new IllegalArgumentException(json + " does not exist: give a folder that make bench wrote");
        }
        Results read = ReportWriter.read(json);
        Results results = Results.of(read.manifest(), read.runs(), read.costs(), read.enforcement(), read.skipped(),
                read.faults());
        ReportWriter.write(results, dir);
        System.out.println("Report: " + dir.toAbsolutePath().resolve("index.html"));
        return 0;
    }
}
