package dev.peak.driver.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.peak.driver.cpu.CpuEnforcement;
import dev.peak.driver.variant.BudgetClass;

/** Where the lab puts the system and the generator, and how it holds a process to its CPUs. */
class CpuControlTest {

    @Test
    void theGeneratorGetsTheLastWholeCpusAndTheSystemTheOthers() {
        assertEquals(new CpuPlacement(List.of(0, 1, 2), List.of(3), false), CpuPlacement.split(List.of(0, 1, 2, 3), 1.0));
        assertEquals(new CpuPlacement(List.of(0), List.of(1, 2), false), CpuPlacement.split(List.of(0, 1, 2), 1.5));
        assertEquals(new CpuPlacement(List.of(0), List.of(0), true), CpuPlacement.split(List.of(0), 1.0),
                "one CPU cannot be split");
    }

    @Test
    void kernelCpuListsAreRead() {
        assertEquals(List.of(0, 1, 2, 3, 6), CpuPlacement.parseList("0-3,6\n"));
        assertEquals("0,1", CpuPlacement.format(List.of(0, 1)));
    }

    @Test
    void pinningKeepsEachSideOnItsCpus() {
        CpuControl pinning = new CpuControl.Pinning(new CpuEnforcement(Duration.ofMillis(100), 1),
                CpuPlacement.split(List.of(0, 1, 2, 3), 1.0), "test");
        assertEquals(List.of("taskset", "-c", "3", "gatling"), pinning.wrap("load", BudgetClass.LOAD, 1, List.of("gatling")));
        assertEquals(List.of("taskset", "-c", "0,1,2", "java"), pinning.wrap("a-1", BudgetClass.SERVER, 0.5, List.of("java")));
    }

    @Test
    void aProcessJoinsEveryGroupBeforeItBecomesTheCommand() {
        List<String> wrapped = CpuControl.enterAndExec(List.of(Path.of("/cg/cpu/x/cgroup.procs"),
                Path.of("/cg/cpuacct/x/cgroup.procs")), List.of("java", "-jar", "a.jar"));
        assertEquals(List.of("/bin/sh", "-c", "echo $$ > \"$1\" || exit 125; echo $$ > \"$2\" || exit 125; shift 2; exec \"$@\"",
                "cpu-budget", "/cg/cpu/x/cgroup.procs", "/cg/cpuacct/x/cgroup.procs", "java", "-jar", "a.jar"), wrapped);
    }
}
