package dev.peak.driver.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JacksonException;

/**
 * A results folder that {@code make bench} wrote, read back: its results.json with every derived figure computed
 * anew from the measurements (so that two runs of different commits are judged by the same rules), and whether its
 * manifest marks it partial.
 *
 * @param partial the manifest's {@code partial}: the bench stopped before its plan ended (or is still going); false
 *                when absent (a run written before the field existed)
 */
public record SavedRun(Path dir, Results results, boolean partial) {

    /** Reads {@code dir}/results.json; refuses a folder without one, or with one that is not a results file. */
    public static SavedRun read(Path dir) throws IOException {
        Path json = dir.resolve("results.json");
        if (!Files.isRegularFile(json)) {
            throw new IllegalArgumentException(dir + " has no results.json: give a folder that make bench wrote, "
                    + "e.g. results/latest");
        }
        try {
            Results read = ReportWriter.read(json);
            return new SavedRun(dir, Results.of(read.manifest(), read.runs(), read.costs(), read.enforcement(),
                    read.skipped(), read.faults()), read.manifest() != null && read.manifest().partial());
        } catch (JacksonException e) {
            throw new IllegalArgumentException(json + " is not a results file: " + e.getOriginalMessage());
        }
    }
}
