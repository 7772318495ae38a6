package dev.peak.driver.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import dev.peak.driver.variant.Variant;

/**
 * The load generator of one variant × server count × repeat, shared by its staircases at every work cost. One that
 * is steered level by level (a warm JVM) starts once and is told each staircase's cost, so that only the first
 * staircase pays its warm-up; one that follows a whole plan (generator Jobs on a cluster) starts again per staircase.
 * Level indices run on across the staircases of one generator: a generator measures each index once.
 */
final class SharedGenerator implements AutoCloseable {

    private final LoadGenerator generator;
    private final SystemUnderTest system;
    private final Path dir;
    private final double maxRate;
    private LoadGenerator.RunningLoad run;
    private boolean warm;
    private int nextIndex;
    private Path gatlingReport;

    /**
     * @param maxRate the highest rate any of its staircases may ask for
     * @param dir     where the generator writes; a generator started again per staircase writes in cost-named
     *                folders inside it
     */
    SharedGenerator(LoadGenerator generator, SystemUnderTest system, Path dir, double maxRate) {
        this.generator = generator;
        this.system = system;
        this.dir = dir;
        this.maxRate = maxRate;
    }

    /**
     * A run of {@code variant}'s workload at {@code cost}, up to {@link #maxRate}: the warm one, told its cost, or a
     * new one.
     */
    LoadGenerator.RunningLoad run(Variant variant, int k, int cost, Duration requestTimeout)
            throws IOException, InterruptedException {
        if (run != null && run.steerable()) {
            run.cost(cost);
            warm = true;
            return run;
        }
        boolean again = run != null;
        closeRun();
        run = generator.start(system, new LoadGenerator.Workload(variant, k, cost, maxRate, requestTimeout),
                again ? dir.resolve("cost" + cost) : dir);
        warm = false;
        return run;
    }

    /** Whether the run {@link #run} gave last had served an earlier staircase: its JVM is warm. */
    boolean warm() {
        return warm;
    }

    /** How many generators share each level (pods in the cluster). */
    int generators() {
        return generator.generators();
    }

    /** The highest rate any of its staircases may ask for. */
    double maxRate() {
        return maxRate;
    }

    /** The first level index the next staircase may use. */
    int nextIndex() {
        return nextIndex;
    }

    void usedUpTo(int index) {
        nextIndex = Math.max(nextIndex, index);
    }

    /** The folder of Gatling's HTML report of the last run, once closed; null where none is kept. */
    Path gatlingReport() {
        return gatlingReport;
    }

    @Override
    public void close() {
        closeRun();
    }

    private void closeRun() {
        if (run != null) {
            // Gatling writes its report as it stops
            run.close();
            gatlingReport = run.gatlingReport();
            run = null;
        }
    }
}
