package dev.peak.driver.results;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The child JVM of {@link ReportWriterKillTest}: writes one large results folder over and over, as the driver does
 * after every level, until it is killed.
 */
final class ReportWriterLoop {

    /** Copies of the sample's staircases: a few MB of results.json, so that a write lasts long enough to be killed in. */
    private static final int COPIES = 20;

    private ReportWriterLoop() {
    }

    /** The sample with its staircases repeated {@link #COPIES} times, each copy as further repeats. */
    static Results large() {
        Results sample = SampleResults.create();
        List<StaircaseRun> runs = new ArrayList<>();
        for (int copy = 0; copy < COPIES; copy++) {
            for (StaircaseRun r : sample.runs()) {
                runs.add(new StaircaseRun(r.variant(), r.servers(), r.cost(), r.repeat() + copy * SampleResults.REPEATS,
                        r.budgets(), r.levels(), r.maxSustainableRps(), r.stop(), r.balance(), r.calls(), r.gatlingReport(),
                        r.warmUp()));
            }
        }
        return Results.of(sample.manifest(), runs, sample.costs(), sample.enforcement(), sample.skipped(), sample.faults());
    }

    /** {@code args[0]}: the results folder to write. */
    public static void main(String[] args) throws IOException {
        Results results = large();
        Path dir = Path.of(args[0]);
        while (true) {
            ReportWriter.write(results, dir);
        }
    }
}
