package dev.peak.driver.results;

import java.util.List;
import java.util.Map;

/** Everything one {@code make bench} measured: the contents of results.json. */
public record Results(Manifest manifest, List<Run> runs, List<Fault> faults, Map<String, VariantSummary> summary) {

    public Results {
        runs = runs == null ? List.of() : runs;
        faults = faults == null ? List.of() : faults;
        summary = summary == null ? Map.of() : summary;
    }

    /** These runs and faults with their summary computed by {@link Summaries#of}. */
    public static Results of(Manifest manifest, List<Run> runs, List<Fault> faults) {
        return new Results(manifest, runs, faults, Summaries.of(runs));
    }
}
