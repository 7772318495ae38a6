package dev.peak.driver.results;

import java.util.List;

/**
 * Everything one {@code make bench} measured, and every figure the report shows, computed once: the contents of
 * results.json. The report only draws it.
 *
 * @param costs        CPU per request by component, one entry per variant × servers × cost × level × component
 * @param costBreakdowns the same at the fixed rates, medians over repeats, with the infrastructure tax
 * @param latencyAdded every variant at the fixed rates, against the baseline
 * @param enforcement  the baseline under the CFS settings in use and under the kernel's default period
 * @param skipped      staircases of the plan that were not measured, and why
 * @param capacities   maximum sustainable throughput per variant, server count and cost (medians over repeats)
 * @param scaling      how each variant's capacity grew with servers
 * @param answers      the answers to the research questions and the limits of the run, one paragraph each
 */
public record Results(Manifest manifest, List<StaircaseRun> runs, List<Cost> costs, List<CostBreakdown> costBreakdowns,
                      List<LatencyAdded> latencyAdded, List<EnforcementCheck> enforcement, List<Skipped> skipped,
                      List<FaultResult> faults, List<Capacity> capacities, List<Scaling> scaling, List<String> answers) {

    public Results {
        runs = runs == null ? List.of() : runs;
        costs = costs == null ? List.of() : costs;
        costBreakdowns = costBreakdowns == null ? List.of() : costBreakdowns;
        latencyAdded = latencyAdded == null ? List.of() : latencyAdded;
        enforcement = enforcement == null ? List.of() : enforcement;
        skipped = skipped == null ? List.of() : skipped;
        faults = faults == null ? List.of() : faults;
        capacities = capacities == null ? List.of() : capacities;
        scaling = scaling == null ? List.of() : scaling;
        answers = answers == null ? List.of() : answers;
    }

    /** What was measured, with every derived figure (capacities, scaling, latency added, answers) computed from it. */
    public static Results of(Manifest manifest, List<StaircaseRun> runs, List<Cost> costs, List<EnforcementCheck> enforcement,
                             List<Skipped> skipped, List<FaultResult> faults) {
        Results measured = new Results(manifest, runs, costs, Summaries.costBreakdowns(costs), Summaries.latencyAdded(runs),
                enforcement, skipped, faults, Summaries.capacities(runs), Summaries.scaling(runs), List.of());
        return new Results(manifest, runs, costs, measured.costBreakdowns(), measured.latencyAdded(), enforcement, skipped,
                faults, measured.capacities(), measured.scaling(), Answers.of(measured));
    }
}
