package dev.peak.driver.results;

import java.util.List;
import java.util.Map;

/**
 * What someone needs to rerun the experiment and judge its numbers (docs/architecture.md: Fairness rules).
 *
 * @param startedAt      ISO-8601 UTC
 * @param versions       tool and component versions (JDK, Gatling, HAProxy, nginx, …)
 * @param machine        CPU model, core count, memory, kernel, …
 * @param cpuBudgets     CPUs per role ({@code server}, {@code proxy}, {@code load})
 * @param cpuEnforcement how the budgets were enforced (cgroup v1/v2 quota and its CFS period and burst, or taskset
 *                       pinning) and which CPUs the system and the generator had
 * @param miniature      per group (RI1, RI2), the factor every budget of the system was multiplied by so that the
 *                       largest server count fits the machine; empty when the budgets are as given
 * @param clientModel    the load model, e.g. "open, Poisson arrivals, one connection per session"
 * @param plan           the experiment plan; the report reads {@code sloMs} and {@code errorLimit} (a fraction)
 *                       when present, and {@code platform} ({@code local} or {@code kubernetes})
 * @param notes          anything that bends the numbers, in plain words
 * @param partial        the run has not ended (yet, or ever: it was interrupted or is still going); a partial results
 *                       folder is what {@code bench --resume} continues
 */
public record Manifest(String profile, String commandLine, String gitCommit, String startedAt, String finishedAt,
                       Map<String, String> versions, Map<String, String> machine, Map<String, Double> cpuBudgets,
                       String cpuEnforcement, Map<String, Double> miniature, String clientModel, Map<String, Object> plan,
                       List<String> notes, boolean partial) {

    public Manifest {
        versions = versions == null ? Map.of() : versions;
        machine = machine == null ? Map.of() : machine;
        cpuBudgets = cpuBudgets == null ? Map.of() : cpuBudgets;
        plan = plan == null ? Map.of() : plan;
        miniature = miniature == null ? Map.of() : miniature;
        notes = notes == null ? List.of() : notes;
    }
}
