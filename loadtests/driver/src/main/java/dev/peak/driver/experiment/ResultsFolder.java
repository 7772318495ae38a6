package dev.peak.driver.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import dev.peak.driver.results.Cost;
import dev.peak.driver.results.EnforcementCheck;
import dev.peak.driver.results.FaultResult;
import dev.peak.driver.results.Manifest;
import dev.peak.driver.results.ReportWriter;
import dev.peak.driver.results.Results;
import dev.peak.driver.results.Skipped;
import dev.peak.driver.results.StaircaseRun;
import dev.peak.driver.variant.Variant;

/**
 * The results folder of one bench run as it fills: results.json, results.csv and index.html are written again after
 * every level, marked partial until the run ends, so that an interrupted run (Ctrl-C, SIGTERM, a crash) leaves the
 * report of everything it finished, and {@code bench --resume} knows what is left. The staircase being measured is
 * shown with its levels so far as {@link StaircaseRun#INTERRUPTED}; a resumed run measures it again from its start, since a
 * staircase's levels belong to one warm system.
 */
final class ResultsFolder {

    private final Path dir;
    private final BiFunction<List<StaircaseRun>, Boolean, Manifest> manifest;
    private final List<StaircaseRun> runs = new ArrayList<>();
    private final List<Cost> costs = new ArrayList<>();
    private final List<EnforcementCheck> checks = new ArrayList<>();
    private final List<Skipped> skipped = new ArrayList<>();
    private final List<FaultResult> faults = new ArrayList<>();
    private Staircase.Result current;
    /** Once the run has ended or been interrupted, its last report stays as written. */
    private boolean sealed;
    private boolean interrupted;

    /**
     * @param earlier  what an interrupted run had finished, which a resumed one keeps (null for a new run); what it
     *                 skipped or failed is planned again
     * @param manifest the manifest for the runs so far, and whether the run is partial
     */
    ResultsFolder(Path dir, Results earlier, BiFunction<List<StaircaseRun>, Boolean, Manifest> manifest) {
        this.dir = dir;
        this.manifest = manifest;
        if (earlier != null) {
            earlier.runs().stream().filter(r -> r.stop() != StaircaseRun.Stop.INTERRUPTED).forEach(runs::add);
            earlier.costs().stream().filter(c -> finished(c.variant(), c.servers(), c.cost(), c.repeat())).forEach(costs::add);
            // the baseline's staircases alone run the enforcement check
            earlier.enforcement().stream().filter(c -> runs.stream().anyMatch(r -> Variant.of(r.variant()).isBaseline()
                    && r.servers() == c.servers() && r.cost() == c.cost())).forEach(checks::add);
            faults.addAll(earlier.faults());
        }
    }

    /** Whether this staircase was finished, by this run or by the one it resumes. */
    synchronized boolean finished(String variant, int servers, int cost, int repeat) {
        return runs.stream().anyMatch(r -> r.variant().equals(variant) && r.servers() == servers && r.cost() == cost
                && r.repeat() == repeat);
    }

    synchronized boolean faultMeasured(Variant variant, PlannedFault fault) {
        return faults.stream().anyMatch(f -> f.variant().equals(variant.id()) && f.fault().equals(fault.kind())
                && f.client() == fault.client());
    }

    /** The staircases finished so far, for the baseline's capacity and the fault runs' rates. */
    synchronized List<StaircaseRun> runs() {
        return List.copyOf(runs);
    }

    /** The staircase being measured, after one more level. */
    synchronized void measuring(Staircase.Result soFar) {
        current = soFar;
        write(true);
    }

    /** A staircase is over: its run, costs and enforcement checks are kept. */
    synchronized void finished(StaircaseRun run, List<Cost> costs, List<EnforcementCheck> checks) {
        runs.add(run);
        this.costs.addAll(costs);
        this.checks.addAll(checks);
        current = null;
        write(true);
    }

    synchronized void fault(FaultResult fault) {
        faults.add(fault);
        write(true);
    }

    /** A part of the plan that was not measured, and why: it does not fit, or it failed. */
    synchronized void skipped(Skipped why) {
        skipped.add(why);
        current = null;
        write(true);
    }

    /** The run is over: the last write, no longer partial (unless it was interrupted, whose report stays). */
    synchronized Results finish() {
        Results results = results(sealed);
        if (!sealed) {
            write(results);
            sealed = true;
        }
        return results;
    }

    /**
     * The run stops early (Ctrl-C, SIGTERM): the report of everything so far, the staircase being measured included
     * with its levels so far, is written one last time. Whatever the experiment's thread still does is not written.
     *
     * @return whether there was a run to stop (false once finished)
     */
    synchronized boolean interrupt() {
        if (sealed) {
            return false;
        }
        write(true);
        sealed = true;
        interrupted = true;
        return true;
    }

    /** Whether the run was stopped early: its report is written, and the experiment's thread should end. */
    synchronized boolean interrupted() {
        return interrupted;
    }

    private void write(boolean partial) {
        if (!sealed) {
            write(results(partial));
        }
    }

    private void write(Results results) {
        try {
            ReportWriter.write(results, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results into " + dir + ": " + e.getMessage(), e);
        }
    }

    private Results results(boolean partial) {
        List<StaircaseRun> shown = new ArrayList<>(runs);
        List<Cost> shownCosts = new ArrayList<>(costs);
        List<EnforcementCheck> shownChecks = new ArrayList<>(checks);
        if (partial && current != null) {
            shown.add(current.run());
            shownCosts.addAll(current.costs());
            shownChecks.addAll(current.checks());
        }
        return Results.of(manifest.apply(shown, partial), shown, shownCosts, shownChecks, skipped, faults);
    }
}
