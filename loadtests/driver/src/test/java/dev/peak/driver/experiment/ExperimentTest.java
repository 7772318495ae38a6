package dev.peak.driver.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.peak.driver.cpu.CpuBudgets;
import dev.peak.driver.cpu.CpuEnforcement;
import dev.peak.driver.lab.LabException;
import dev.peak.driver.results.ReportWriter;
import dev.peak.driver.results.Results;
import dev.peak.driver.results.StaircaseRun;
import dev.peak.driver.variant.Variant;

class ExperimentTest {

    private static final List<Variant> VARIANTS = List.of(Variant.RI1_DIRECT, Variant.RI1_PEAK, Variant.RI1_HAPROXY);

    @Test
    void theMiniaturesFixedRatesAreFractionsOfWhatServersOfTheVariantsSizeSustain() {
        CpuBudgets ri1 = CpuBudgets.DEFAULT;
        CpuBudgets ri2 = CpuBudgets.DEFAULT.scaled(0.294);
        assertEquals(5653 * 0.294, Experiment.baselineFor(5653.0, ri2, ri1), 1e-6,
                "RI2 shrunk to 0.294× of RI1's budgets is measured at fractions of 0.294× RI1's capacity");
        assertEquals(5653, Experiment.baselineFor(5653.0, ri1, ri1), 1e-6);
        assertNull(Experiment.baselineFor(null, ri2, ri1), "no baseline measured: no fixed rates");
    }

    @Test
    void everyLevelIsWrittenAtOnceMarkedPartialWithTheUnfinishedStaircaseAsInterrupted(@TempDir Path dir)
            throws Exception {
        SimulatedPlatform platform = new SimulatedPlatform();
        // the baseline's sixth order after its warm-up ended (its tail included), well into its search
        platform.interruptAfterLevels = 6;
        Experiment experiment = new Experiment(options(dir), platform, null, quiet(), false);
        platform.experiment = experiment;
        platform.dir = dir;
        experiment.run();

        Results written = ReportWriter.read(dir.resolve("results.json"));
        assertTrue(written.manifest().partial());
        assertEquals(List.of(StaircaseRun.Stop.INTERRUPTED), written.runs().stream().map(StaircaseRun::stop).toList());
        assertFalse(written.runs().get(0).levels().isEmpty(), "the levels measured before the interruption");
        assertNull(written.runs().get(0).maxSustainableRps(), "an unfinished staircase has no maximum");
        assertEquals(platform.atInterruption, Files.readString(dir.resolve("results.json")),
                "the experiment's thread went on, but wrote nothing after the interruption");
        assertTrue(Files.size(dir.resolve("index.html")) > 0);
    }

    @Test
    void aResumedRunKeepsWhatWasFinishedAndMeasuresTheInterruptedStaircaseAgainFromItsStart(@TempDir Path dir)
            throws Exception {
        SimulatedPlatform first = new SimulatedPlatform();
        Results finished = new Experiment(options(dir), first, null, quiet(), false).run();
        // as if the run had stopped during the last variant's staircase
        StaircaseRun last = finished.runs().get(finished.runs().size() - 1);
        List<StaircaseRun> runs = new ArrayList<>(finished.runs().subList(0, finished.runs().size() - 1));
        runs.add(new StaircaseRun(last.variant(), last.servers(), last.cost(), last.repeat(), last.budgets(),
                last.levels().subList(0, 2), null, StaircaseRun.Stop.INTERRUPTED, null, null, null, null));
        Results interrupted = Results.of(finished.manifest(), runs, finished.costs(), finished.enforcement(), List.of(),
                List.of());

        SimulatedPlatform second = new SimulatedPlatform();
        Results resumed = new Experiment(options(dir), second, interrupted, quiet(), false).run();

        assertEquals(List.of(last.variant()), second.started, "only the interrupted variant runs again");
        assertFalse(resumed.manifest().partial());
        assertEquals(VARIANTS.stream().map(Variant::id).toList(), resumed.runs().stream().map(StaircaseRun::variant).toList());
        assertTrue(resumed.runs().stream().noneMatch(r -> StaircaseRun.Stop.INTERRUPTED.equals(r.stop())));
        assertEquals(finished.runs().get(0), resumed.runs().get(0), "what was finished is kept as it was");
        assertTrue(resumed.manifest().notes().get(0).startsWith("Resumed at "), resumed.manifest().notes().toString());
    }

    @Test
    void aStepThatFailsIsRecordedWithItsReasonAndTheRunGoesOnWithTheRest(@TempDir Path dir) throws Exception {
        SimulatedPlatform platform = new SimulatedPlatform();
        platform.failing = Variant.RI1_PEAK;
        Results results = new Experiment(options(dir), platform, null, quiet(), false).run();

        assertEquals(Set.of("ri1-direct", "ri1-haproxy"), results.runs().stream().map(StaircaseRun::variant)
                .collect(Collectors.toSet()));
        assertEquals(1, results.skipped().size());
        assertEquals("ri1-peak", results.skipped().get(0).variant());
        assertTrue(Resumption.failed(results.skipped().get(0)), results.skipped().get(0).reason());
        assertTrue(results.skipped().get(0).reason().contains("peak-dns would not start"),
                results.skipped().get(0).reason());
        assertFalse(results.manifest().partial());
    }

    @Test
    void aRunIsResumedOnlyWithTheSameCheckoutMachineToolsAndPlan(@TempDir Path dir) throws Exception {
        Results finished = new Experiment(options(dir), new SimulatedPlatform(), null, quiet(), false).run();
        var then = finished.manifest();
        Resumption.check(then, then, dir);

        Map<String, Object> plan = new java.util.LinkedHashMap<>(then.plan());
        plan.put("k", 20);
        var other = new dev.peak.driver.results.Manifest(then.profile(), then.commandLine(), then.gitCommit(),
                then.startedAt(), then.finishedAt(), then.versions(), then.machine(), then.cpuBudgets(),
                then.cpuEnforcement(), then.miniature(), then.clientModel(), plan, then.notes(), true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Resumption.check(then, other, dir));
        assertTrue(e.getMessage().contains("plan was ") && e.getMessage().contains("start a new run"), e.getMessage());
    }

    @Test
    void aFinishedRunIsNotResumed(@TempDir Path dir) throws Exception {
        new Experiment(options(dir), new SimulatedPlatform(), null, quiet(), false).run();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Resumption.read(dir));
        assertTrue(e.getMessage().contains("that run finished"), e.getMessage());
    }

    private static ExperimentOptions options(Path dir) {
        Profile profile = new Profile("test", List.of(1), List.of(1000), 1, Duration.ofSeconds(60), 40_000,
                Duration.ofSeconds(1), Duration.ofSeconds(4), Profile.QUICK.fixedFractions(), List.of(), true, 1500, 1.6,
                14, 1, true, 2, Duration.ofSeconds(10), false);
        return new ExperimentOptions(profile, VARIANTS, 10, 0.01, 100, false, 0.5, CpuBudgets.DEFAULT,
                new CpuEnforcement(Duration.ofMillis(100), 1.0), false, Path.of("."), dir, "scale.sh bench --profile quick");
    }

    private static PrintStream quiet() {
        return new PrintStream(PrintStream.nullOutputStream());
    }

    /**
     * Each variant on a {@link SimulatedLab}; one variant may fail to start, and the run may be interrupted (as the
     * shutdown hook does) after a number of levels past the warm-up.
     */
    private static final class SimulatedPlatform implements Platform {
        final List<String> started = new ArrayList<>();
        Variant failing;
        int interruptAfterLevels = -1;
        Experiment experiment;
        Path dir;
        String atInterruption;
        private SimulatedLab lab;

        @Override
        public Kind kind() {
            return Kind.LOCAL;
        }

        @Override
        public SystemUnderTest start(Variant variant, CpuBudgets budgets, int servers, int dnsReplicas, String label) {
            started.add(variant.id());
            if (variant == failing) {
                throw new LabException("peak-dns would not start");
            }
            lab = new SimulatedLab();
            int[] levels = {0};
            lab.beforeLevels = () -> {
                // levels of the search, after the warm-up
                boolean warm = lab.events.stream().anyMatch(e -> e.startsWith("restore"));
                if (warm && levels[0]++ == interruptAfterLevels && experiment != null) {
                    experiment.interrupt();
                    try {
                        atInterruption = Files.readString(dir.resolve("results.json"));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
            return lab;
        }

        @Override
        public LoadGenerator loadGenerator() {
            return lab;
        }

        @Override
        public OptionalInt systemCpus() {
            return OptionalInt.empty();
        }

        @Override
        public Setup setup() {
            return new Setup("simulated", Map.of("server", 0.2), Map.of("haproxy", "simulated"), List.of());
        }

        @Override
        public void close() {
        }
    }
}
