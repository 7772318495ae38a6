package dev.peak.driver.results;

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
        ReportWriter.write(SavedRun.read(dir).results(), dir);
        System.out.println("Report: " + dir.toAbsolutePath().resolve("index.html"));
        return 0;
    }
}
