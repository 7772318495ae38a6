package dev.peak.driver.results;

/** A staircase the plan had but the experiment did not measure, and why (its budgets exceed the machine, say). */
public record Skipped(String variant, int servers, String reason) {
}
