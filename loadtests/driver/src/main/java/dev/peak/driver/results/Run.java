package dev.peak.driver.results;

import java.util.List;
import java.util.Map;

/**
 * One staircase of one variant at one server count.
 *
 * @param maxSustainableRps offered requests/s of the highest passing step (its achieved rate is in the step), null if
 *                          no step passed
 * @param balance           per-instance counts over the whole staircase, null if not collected
 * @param calls             latency per request kind at the highest passing step: {@code session} (the whole
 *                          transaction) and {@code work} (RI1), {@code token} + {@code b} (RI2-PEAK) or
 *                          {@code chain} (mesh)
 */
public record Run(String variant, int servers, int repeat, List<Step> steps, Double maxSustainableRps,
                  Balance balance, Map<String, Percentiles> calls) {

    public Run {
        steps = steps == null ? List.of() : steps;
        calls = calls == null ? Map.of() : calls;
    }
}
