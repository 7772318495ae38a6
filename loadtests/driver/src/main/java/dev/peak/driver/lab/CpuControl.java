package dev.peak.driver.lab;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Enforces each instance's CPU budget: a cgroup CPU quota where the cgroup tree is writable (v1 as on
 * this machine, or v2), else CPU pinning, which cannot enforce a fraction of a core. What was done
 * is reported, never implied.
 */
public abstract class CpuControl {

    static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    /** The CFS period: a budget of 0.5 CPU is 50 ms of CPU time per 100 ms. */
    static final long PERIOD_US = 100_000;
    static final Duration STALE_AFTER = Duration.ofMinutes(10);
    private static final Pattern LAB_GROUP = Pattern.compile("peak-lab-(\\d+)-\\d+");

    /** Picks the strongest mechanism this machine allows for a lab named {@code labId} (see {@link #labId}). */
    public static CpuControl detect(String labId) {
        List<String> refused = new ArrayList<>();
        Path v1Cpu = CGROUP_ROOT.resolve("cpu");
        if (Files.exists(v1Cpu.resolve("cpu.cfs_quota_us"))) {
            sweepStale(v1Cpu);
            try {
                return new CgroupV1(v1Cpu, labId);
            } catch (IOException | LabException e) {
                refused.add("cgroup v1 not writable (" + reason(e) + ")");
            }
        } else if (controllers().contains("cpu")) {
            sweepStale(CGROUP_ROOT);
            try {
                return new CgroupV2(CGROUP_ROOT, labId);
            } catch (IOException | LabException e) {
                refused.add("cgroup v2 not writable (" + reason(e) + ")");
            }
        } else {
            refused.add("no cgroup CPU controller is mounted");
        }
        return new Pinning(Runtime.getRuntime().availableProcessors(), String.join("; ", refused));
    }

    private static String reason(Exception e) {
        return e instanceof AccessDeniedException ? "permission denied: " + e.getMessage() : e.toString();
    }

    /** A new lab's name: its groups are {@code peak-lab-<epoch seconds>-<random>}. */
    public static String labId() {
        return "peak-lab-" + Instant.now().getEpochSecond() + "-" + ThreadLocalRandom.current().nextInt(1 << 16);
    }

    /**
     * Removes the groups of labs that were killed outright (SIGKILL leaves no time to clean up) and are
     * older than {@link #STALE_AFTER}. The kernel refuses to remove a group that still has processes,
     * so a live lab is never touched.
     */
    static void sweepStale(Path hierarchy) {
        long before = Instant.now().minus(STALE_AFTER).getEpochSecond();
        try (var labs = Files.list(hierarchy)) {
            labs.filter(dir -> {
                Matcher m = LAB_GROUP.matcher(dir.getFileName().toString());
                return m.matches() && Long.parseLong(m.group(1)) < before;
            }).forEach(lab -> {
                try (var groups = Files.list(lab)) {
                    groups.filter(Files::isDirectory).forEach(CpuControl::tryRemove);
                } catch (IOException e) {
                    // gone meanwhile
                }
                tryRemove(lab);
            });
        } catch (IOException e) {
            // not listable: nothing to sweep
        }
    }

    private static void tryRemove(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // still in use
        }
    }

    /** The command that runs {@code command} inside {@code group} with the budget of {@code role}. */
    public abstract List<String> wrap(String group, Role role, double cpus, List<String> command);

    /** How the budget is enforced, for the start-up table. */
    public abstract String describe(Role role, double cpus);

    /** The mechanism in a few words, e.g. "cgroup v1 CFS quota". */
    public abstract String mechanism();

    /** Removes what was created for the lab; its processes must have ended. */
    public abstract void close();

    private static String controllers() {
        try {
            return Files.readString(CGROUP_ROOT.resolve("cgroup.controllers"));
        } catch (IOException e) {
            return "";
        }
    }

    /** {@code sh} moves itself into the group, then becomes the command: all its children stay inside. */
    static List<String> enterAndExec(Path procsFile, List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", "echo $$ > \"$1\" || exit 125; shift; exec \"$@\"",
                "cpu-budget", procsFile.toString()));
        wrapped.addAll(command);
        return wrapped;
    }

    static long quotaMicros(double cpus) {
        return Math.round(cpus * PERIOD_US);
    }

    static void write(Path file, String value) {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new LabException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Removes a lab's instance groups, then the lab's group. */
    static void removeLab(Path lab) {
        try (var groups = Files.list(lab)) {
            groups.filter(Files::isDirectory).forEach(CpuControl::removeGroup);
        } catch (IOException e) {
            // already gone
        }
        removeGroup(lab);
    }

    /** Removes a group directory; the kernel may take a moment to notice that its last process exited. */
    static void removeGroup(Path dir) {
        for (int attempt = 0; attempt < 50 && Files.exists(dir); attempt++) {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** cgroup v1: a lab group in the cpu hierarchy, one child per instance (cpu.cfs_quota_us). */
    static final class CgroupV1 extends CpuControl {
        private final Path lab;

        CgroupV1(Path cpuRoot, String labId) throws IOException {
            lab = Files.createDirectories(cpuRoot.resolve(labId));
        }

        @Override
        public List<String> wrap(String group, Role role, double cpus, List<String> command) {
            try {
                Path dir = Files.createDirectories(lab.resolve(group));
                write(dir.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_US));
                write(dir.resolve("cpu.cfs_quota_us"), Long.toString(quotaMicros(cpus)));
                return enterAndExec(dir.resolve("cgroup.procs"), command);
            } catch (IOException e) {
                throw new LabException("cannot create the cgroup of " + group + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String describe(Role role, double cpus) {
            return "cgroup v1 quota " + quotaMicros(cpus) / 1000 + "/" + PERIOD_US / 1000 + " ms";
        }

        @Override
        public String mechanism() {
            return "cgroup v1 CFS quota (cpu.cfs_quota_us)";
        }

        @Override
        public void close() {
            removeLab(lab);
        }
    }

    /** cgroup v2: a lab group under the root with the cpu controller, one child per instance (cpu.max). */
    static final class CgroupV2 extends CpuControl {
        private final Path lab;

        CgroupV2(Path root, String labId) throws IOException {
            if (!Files.readString(root.resolve("cgroup.subtree_control")).contains("cpu")) {
                write(root.resolve("cgroup.subtree_control"), "+cpu");
            }
            lab = Files.createDirectories(root.resolve(labId));
            write(lab.resolve("cgroup.subtree_control"), "+cpu");
        }

        @Override
        public List<String> wrap(String group, Role role, double cpus, List<String> command) {
            try {
                Path dir = Files.createDirectories(lab.resolve(group));
                write(dir.resolve("cpu.max"), quotaMicros(cpus) + " " + PERIOD_US);
                return enterAndExec(dir.resolve("cgroup.procs"), command);
            } catch (IOException e) {
                throw new LabException("cannot create the cgroup of " + group + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String describe(Role role, double cpus) {
            return "cgroup v2 cpu.max " + quotaMicros(cpus) / 1000 + "/" + PERIOD_US / 1000 + " ms";
        }

        @Override
        public String mechanism() {
            return "cgroup v2 CPU quota (cpu.max)";
        }

        @Override
        public void close() {
            removeLab(lab);
        }
    }

    /**
     * No writable cgroup: the load generator gets the last CPU to itself, everything else shares the
     * others. Budgets below a whole core are then not enforced, and the table says so.
     */
    static final class Pinning extends CpuControl {
        private final int cpus;
        private final String why;

        Pinning(int cpus, String why) {
            this.cpus = cpus;
            this.why = why;
        }

        @Override
        public List<String> wrap(String group, Role role, double budget, List<String> command) {
            List<String> pinned = new ArrayList<>(List.of("taskset", "-c", cpuList(role)));
            pinned.addAll(command);
            return pinned;
        }

        @Override
        public String describe(Role role, double budget) {
            return "pinned to CPU " + cpuList(role) + " (shared, budget not enforced)";
        }

        @Override
        public String mechanism() {
            return "CPU pinning (taskset), budgets not enforced: " + why;
        }

        @Override
        public void close() {
        }

        private String cpuList(Role role) {
            if (cpus == 1) {
                return "0";
            }
            return role == Role.LOAD ? Integer.toString(cpus - 1)
                    : IntStream.range(0, cpus - 1).mapToObj(Integer::toString).collect(Collectors.joining(","));
        }
    }
}
