package dev.peak.driver.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import dev.peak.driver.variant.BudgetClass;

/**
 * Which CPUs the system under test runs on and which the load generator runs on: apart, so that the generator
 * never takes CPU from what it measures (nor the other way round), as on separate machines. The generator gets
 * the last whole CPUs its budget needs, the system every other one; each process of the system is pinned to the
 * system's CPUs, so its threads also never wake each other across the generator's CPUs.
 *
 * @param shared true when the machine has too few CPUs to split: both sides run on all of them
 */
public record CpuPlacement(List<Integer> system, List<Integer> generator, boolean shared) {

    /** Splits {@code cpus} (this process's allowed CPUs) for a generator budget of {@code generatorCpus}. */
    public static CpuPlacement split(List<Integer> cpus, double generatorCpus) {
        int forGenerator = (int) Math.ceil(generatorCpus);
        if (cpus.size() <= forGenerator) {
            return new CpuPlacement(cpus, cpus, true);
        }
        return new CpuPlacement(List.copyOf(cpus.subList(0, cpus.size() - forGenerator)),
                List.copyOf(cpus.subList(cpus.size() - forGenerator, cpus.size())), false);
    }

    /** The CPUs this process may run on (its affinity, which a container or taskset may narrow). */
    public static List<Integer> allowedCpus() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return parseList(line.substring(line.indexOf(':') + 1));
                }
            }
        } catch (IOException e) {
            // not Linux: fall through
        }
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            all.add(i);
        }
        return all;
    }

    /** Reads a kernel CPU list such as {@code 0-3,6}. */
    static List<Integer> parseList(String list) {
        List<Integer> cpus = new ArrayList<>();
        for (String part : list.strip().split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] range = part.strip().split("-");
            int from = Integer.parseInt(range[0]);
            int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
            for (int cpu = from; cpu <= to; cpu++) {
                cpus.add(cpu);
            }
        }
        return cpus;
    }

    /** The CPUs of {@code role}: the generator's or the system's. */
    public List<Integer> of(BudgetClass role) {
        return role == BudgetClass.LOAD ? generator : system;
    }

    /** As the kernel writes a CPU list: {@code 0,1,2}. */
    public static String format(List<Integer> cpus) {
        return cpus.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** "the system on CPU 0, the load generator on CPU 1", for the manifest and the start-up table. */
    public String describe() {
        return shared ? "the system and the load generator share CPU " + format(system) + " (too few CPUs to split)"
                : "the system on CPU " + format(system) + ", the load generator on CPU " + format(generator);
    }
}
