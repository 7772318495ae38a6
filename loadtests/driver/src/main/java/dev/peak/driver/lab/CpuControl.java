package dev.peak.driver.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.peak.driver.cpu.CpuEnforcement;
import dev.peak.driver.cpu.CpuSample;
import dev.peak.driver.variant.BudgetClass;

/**
 * Enforces each instance's CPU budget and counts what it uses: a cgroup per instance (v1 as on this machine, or
 * v2) with a CFS quota ({@link CpuEnforcement}), pinned to its side's CPUs ({@link CpuPlacement}); else CPU pinning
 * alone, which cannot enforce a fraction of a core. What was done is reported, never implied.
 *
 * <p>Longer than 400 lines because it holds its three mechanisms (cgroup v1, cgroup v2, pinning) as nested
 * subclasses: each is short, and they share the budget bookkeeping and the JIT compilers' group.
 */
public abstract class CpuControl {

    static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    /** The lab's group for the JIT compiler threads of every instance: no quota, its CPU counted apart. */
    public static final String COMPILERS = "jit";
    static final java.time.Duration STALE_AFTER = java.time.Duration.ofMinutes(10);
    private static final Pattern LAB_GROUP = Pattern.compile("peak-lab-(\\d+)-\\d+");

    final CpuEnforcement enforcement;
    final CpuPlacement placement;
    /** Each group's budget, to restore it after {@link #lift}. */
    final Map<String, Double> budgets = new LinkedHashMap<>();
    /** Each group's side, for its CPU set. */
    final Map<String, BudgetClass> roles = new LinkedHashMap<>();

    CpuControl(CpuEnforcement enforcement, CpuPlacement placement) {
        this.enforcement = enforcement;
        this.placement = placement;
    }

    /** Picks the strongest mechanism this machine allows for a lab named {@code labId} (see {@link #labId}). */
    public static CpuControl detect(String labId, CpuEnforcement enforcement, CpuPlacement placement) {
        List<String> refused = new ArrayList<>();
        Path v1Cpu = CGROUP_ROOT.resolve("cpu");
        if (Files.exists(v1Cpu.resolve("cpu.cfs_quota_us"))) {
            sweepStale(List.of(v1Cpu, CGROUP_ROOT.resolve("cpuacct"), CGROUP_ROOT.resolve("cpuset")));
            try {
                return new CgroupV1(labId, enforcement, placement);
            } catch (IOException | LabException e) {
                refused.add("cgroup v1 not writable (" + reason(e) + ")");
            }
        } else if (controllers().contains("cpu")) {
            sweepStale(List.of(CGROUP_ROOT));
            try {
                return new CgroupV2(labId, enforcement, placement);
            } catch (IOException | LabException e) {
                refused.add("cgroup v2 not writable (" + reason(e) + ")");
            }
        } else {
            refused.add("no cgroup CPU controller is mounted");
        }
        return new Pinning(enforcement, placement, String.join("; ", refused));
    }

    private static String reason(Exception e) {
        return e instanceof AccessDeniedException ? "permission denied: " + e.getMessage() : e.toString();
    }

    /** A new lab's name: its groups are {@code peak-lab-<epoch seconds>-<random>}. */
    public static String labId() {
        return "peak-lab-" + Instant.now().getEpochSecond() + "-" + ThreadLocalRandom.current().nextInt(1 << 16);
    }

    /** The command that runs {@code command} in group {@code group}, under a budget of {@code cpus} on {@code role}'s side. */
    public abstract List<String> wrap(String group, BudgetClass role, double cpus, List<String> command);

    /** The group's counters now; {@code process} is read instead where no cgroup counts (pinning). */
    public abstract CpuSample sample(String group, ProcessHandle process);

    /**
     * Moves the JIT compiler threads of {@code process} (and its children) out of their instance's budget into the
     * lab's group {@value #COMPILERS}, which has none, on the same CPUs: compiling is a start-up cost that the
     * instance's quota would stretch over seconds of stalled requests, and its counters would charge to the
     * requests of whichever level it fell in. A no-op where the mechanism cannot place single threads (cgroup v2
     * keeps a process's threads together, pinning has no budget to leave).
     */
    public abstract void exemptCompilers(ProcessHandle process);

    /** Lets the group use its side's CPUs freely until {@link #restore}: a warm-up is not a measurement. */
    public abstract void lift(String group);

    /** Puts the group's budget back under {@code enforcement}. */
    public abstract void restore(String group, CpuEnforcement enforcement);

    /** How the budget is enforced, for the start-up table. */
    public abstract String describe(BudgetClass role, double cpus);

    /** The mechanism in a few words, e.g. "cgroup v1 CFS quota". */
    public abstract String mechanism();

    /** Whether budgets below a whole CPU are enforced at all. */
    public abstract boolean enforcesFractions();

    /**
     * A budget of every CPU of the group's pinned set needs no quota (the set enforces it), and gets none: a quota
     * would only add stalls. The load generator with its whole CPUs is the usual case.
     */
    boolean wholeCpuset(String group, double cpus) {
        return !placement.shared() && roles.containsKey(group) && cpus >= placement.of(roles.get(group)).size();
    }

    /** Removes what was created for the lab; its processes must have ended. */
    public abstract void close();

    public CpuEnforcement enforcement() {
        return enforcement;
    }

    public CpuPlacement placement() {
        return placement;
    }

    /**
     * Removes the groups of labs that were killed outright (SIGKILL leaves no time to clean up) and are
     * older than {@link #STALE_AFTER}. The kernel refuses to remove a group that still has processes,
     * so a live lab is never touched.
     */
    static void sweepStale(List<Path> hierarchies) {
        long before = Instant.now().minus(STALE_AFTER).getEpochSecond();
        for (Path hierarchy : hierarchies) {
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
    }

    private static void tryRemove(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // still in use
        }
    }

    private static String controllers() {
        try {
            return Files.readString(CGROUP_ROOT.resolve("cgroup.controllers"));
        } catch (IOException e) {
            return "";
        }
    }

    /** {@code sh} moves itself into every group, then becomes the command: all its children stay inside. */
    static List<String> enterAndExec(List<Path> procsFiles, List<String> command) {
        StringBuilder script = new StringBuilder();
        for (int i = 1; i <= procsFiles.size(); i++) {
            script.append("echo $$ > \"$").append(i).append("\" || exit 125; ");
        }
        script.append("shift ").append(procsFiles.size()).append("; exec \"$@\"");
        List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", script.toString(), "cpu-budget"));
        procsFiles.forEach(f -> wrapped.add(f.toString()));
        wrapped.addAll(command);
        return wrapped;
    }

    static void write(Path file, String value) {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new LabException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new LabException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code key value} lines (cpu.stat) as a map; absent keys read 0. */
    static Map<String, Long> keyValues(Path file) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : read(file).split("\n")) {
            String[] kv = line.strip().split("\\s+");
            if (kv.length == 2) {
                values.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        return values;
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

    /**
     * Removes a group directory; the kernel may take a moment to notice that its last process exited. A process still
     * in it is the lab's own and is killed: the load generator, when the lab is torn down by Ctrl-C or SIGTERM while
     * a level runs, was left in its group, which outlived the lab.
     */
    static void removeGroup(Path dir) {
        for (int attempt = 0; attempt < 50 && Files.exists(dir); attempt++) {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                if (attempt == 0) {
                    killMembers(dir);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void killMembers(Path group) {
        try (Stream<String> pids = Files.lines(group.resolve("cgroup.procs"))) {
            // 0: a process of another PID namespace, which is not this lab's
            pids.map(String::strip).filter(pid -> !pid.isEmpty() && !pid.equals("0")).mapToLong(Long::parseLong)
                    .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        } catch (IOException | UncheckedIOException e) {
            // gone meanwhile
        }
    }

    /**
     * CPU time the JIT compiler threads of a process and its children have used, from /proc (ticks of 10 ms); 0 for
     * a process that compiles nothing (HAProxy, nginx). HotSpot names them "C1 CompilerThreadN" and "C2
     * CompilerThreadN", which the kernel cuts to 15 characters.
     */
    static long compilerThreadNanos(ProcessHandle process) {
        long ticks = 0;
        for (Path task : compilerThreads(process)) {
            try {
                ticks += ticks(Files.readString(task.resolve("stat")));
            } catch (IOException | RuntimeException e) {
                // exited meanwhile
            }
        }
        return ticks * 10_000_000L;
    }

    /** The /proc/PID/task/TID directories of the JIT compiler threads of a process and its children. */
    static List<Path> compilerThreads(ProcessHandle process) {
        List<Path> compilers = new ArrayList<>();
        for (ProcessHandle p : tree(process)) {
            try (var tasks = Files.list(Path.of("/proc", Long.toString(p.pid()), "task"))) {
                for (Path task : tasks.toList()) {
                    if (Files.readString(task.resolve("comm")).contains("CompilerThre")) {
                        compilers.add(task);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // exited meanwhile
            }
        }
        return compilers;
    }

    /** CPU time of a process and its children from /proc (ticks of 10 ms): what pinning can count. */
    static long processTreeNanos(ProcessHandle process) {
        long ticks = 0;
        for (ProcessHandle p : tree(process)) {
            try {
                ticks += ticks(Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat")));
            } catch (IOException | RuntimeException e) {
                // exited meanwhile
            }
        }
        return ticks * 10_000_000L;
    }

    private static List<ProcessHandle> tree(ProcessHandle process) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process);
        process.descendants().forEach(tree::add);
        return tree;
    }

    /** User plus system ticks of a /proc stat line (a process's or a thread's). */
    private static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * cgroup v1: the cpu, cpuacct and cpuset controllers are separate hierarchies (or cpu and cpuacct one,
     * co-mounted); each gets a lab group with one child per instance, and every process joins all three.
     */
    static final class CgroupV1 extends CpuControl {
        private final Path cpu;
        private final Path cpuacct;
        private final Path cpuset;
        /** The {@code tasks} files of the lab's compiler group, in cpu and, if apart, in cpuacct. */
        private final List<Path> compilerTasks = new ArrayList<>();

        CgroupV1(String labId, CpuEnforcement enforcement, CpuPlacement placement) throws IOException {
            super(enforcement, placement);
            cpu = Files.createDirectories(CGROUP_ROOT.resolve("cpu").resolve(labId));
            Path acct = CGROUP_ROOT.resolve("cpuacct");
            cpuacct = Files.exists(acct.resolve("cpuacct.usage"))
                    && !acct.toRealPath().equals(CGROUP_ROOT.resolve("cpu").toRealPath())
                    ? Files.createDirectories(acct.resolve(labId)) : null;
            Path set = CGROUP_ROOT.resolve("cpuset");
            if (Files.exists(set.resolve("cpuset.cpus"))) {
                cpuset = Files.createDirectories(set.resolve(labId));
                // a v1 cpuset group starts empty and admits no process until it has CPUs and memory nodes
                write(cpuset.resolve("cpuset.cpus"), read(set.resolve("cpuset.cpus")));
                write(cpuset.resolve("cpuset.mems"), read(set.resolve("cpuset.mems")));
            } else {
                cpuset = null;
            }
            compilerTasks.add(Files.createDirectories(cpu.resolve(COMPILERS)).resolve("tasks"));
            if (cpuacct != null) {
                compilerTasks.add(Files.createDirectories(cpuacct.resolve(COMPILERS)).resolve("tasks"));
            }
        }

        @Override
        public List<String> wrap(String group, BudgetClass role, double cpus, List<String> command) {
            try {
                budgets.put(group, cpus);
                roles.put(group, role);
                Path dir = Files.createDirectories(cpu.resolve(group));
                restore(group, enforcement);
                List<Path> procs = new ArrayList<>(List.of(dir.resolve("cgroup.procs")));
                if (cpuacct != null) {
                    procs.add(Files.createDirectories(cpuacct.resolve(group)).resolve("cgroup.procs"));
                }
                if (cpuset != null) {
                    Path set = Files.createDirectories(cpuset.resolve(group));
                    write(set.resolve("cpuset.cpus"), CpuPlacement.format(placement.of(role)));
                    write(set.resolve("cpuset.mems"), read(cpuset.resolve("cpuset.mems")));
                    procs.add(set.resolve("cgroup.procs"));
                }
                return enterAndExec(procs, command);
            } catch (IOException e) {
                throw new LabException("cannot create the cgroup of " + group + ": " + e.getMessage(), e);
            }
        }

        /**
         * A v1 hierarchy places single threads ({@code tasks}): each compiler thread joins the lab's compiler group in
         * the cpu hierarchy (no quota) and in cpuacct (counted apart), and stays in its instance's cpuset. A
         * compiler thread HotSpot adds later is started by a compiler thread, and inherits its group.
         */
        @Override
        public void exemptCompilers(ProcessHandle process) {
            for (Path thread : compilerThreads(process)) {
                try {
                    for (Path tasks : compilerTasks) {
                        Files.writeString(tasks, thread.getFileName().toString());
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile (HotSpot retires idle compiler threads)
                }
            }
        }

        @Override
        public CpuSample sample(String group, ProcessHandle process) {
            Path dir = cpu.resolve(group);
            if (!Files.isDirectory(dir)) {
                return CpuSample.ZERO;
            }
            Map<String, Long> stat = keyValues(dir.resolve("cpu.stat"));
            long usage = cpuacct != null ? Long.parseLong(read(cpuacct.resolve(group).resolve("cpuacct.usage")))
                    : Long.parseLong(read(dir.resolve("cpuacct.usage")));
            return new CpuSample(usage, stat.getOrDefault("nr_periods", 0L), stat.getOrDefault("nr_throttled", 0L),
                    stat.getOrDefault("throttled_time", 0L));
        }

        @Override
        public void lift(String group) {
            write(cpu.resolve(group).resolve("cpu.cfs_quota_us"), "-1");
        }

        @Override
        public void restore(String group, CpuEnforcement how) {
            Path dir = cpu.resolve(group);
            double cpus = budgets.get(group);
            boolean burst = Files.exists(dir.resolve("cpu.cfs_burst_us"));
            // the kernel checks quota against period (and burst against quota) as each is written: lift first
            write(dir.resolve("cpu.cfs_quota_us"), "-1");
            if (burst) {
                write(dir.resolve("cpu.cfs_burst_us"), "0");
            }
            write(dir.resolve("cpu.cfs_period_us"), Long.toString(how.periodMicros()));
            if (!wholeCpuset(group, cpus)) {
                write(dir.resolve("cpu.cfs_quota_us"), Long.toString(how.quotaMicros(cpus)));
                if (burst) {
                    write(dir.resolve("cpu.cfs_burst_us"), Long.toString(how.burstMicros(cpus)));
                }
            }
        }

        @Override
        public String describe(BudgetClass role, double cpus) {
            return "quota " + enforcement.quotaMicros(cpus) / 1000.0 + "/" + enforcement.periodMicros() / 1000.0
                    + " ms, CPU " + CpuPlacement.format(placement.of(role));
        }

        @Override
        public String mechanism() {
            return "cgroup v1 CFS quota (" + enforcement.describe() + "), JIT compiler threads outside it, "
                    + placement.describe();
        }

        @Override
        public boolean enforcesFractions() {
            return true;
        }

        @Override
        public void close() {
            removeLab(cpu);
            if (cpuacct != null) {
                removeLab(cpuacct);
            }
            if (cpuset != null) {
                removeLab(cpuset);
            }
        }
    }

    /** cgroup v2: a lab group under the root with the cpu (and cpuset) controller, one child per instance. */
    static final class CgroupV2 extends CpuControl {
        private final Path lab;
        private final boolean cpusets;

        CgroupV2(String labId, CpuEnforcement enforcement, CpuPlacement placement) throws IOException {
            super(enforcement, placement);
            String available = Files.readString(CGROUP_ROOT.resolve("cgroup.controllers"));
            cpusets = available.contains("cpuset");
            String enable = "+cpu" + (cpusets ? " +cpuset" : "");
            write(CGROUP_ROOT.resolve("cgroup.subtree_control"), enable);
            lab = Files.createDirectories(CGROUP_ROOT.resolve(labId));
            write(lab.resolve("cgroup.subtree_control"), enable);
        }

        @Override
        public List<String> wrap(String group, BudgetClass role, double cpus, List<String> command) {
            try {
                budgets.put(group, cpus);
                roles.put(group, role);
                Path dir = Files.createDirectories(lab.resolve(group));
                restore(group, enforcement);
                if (cpusets) {
                    write(dir.resolve("cpuset.cpus"), CpuPlacement.format(placement.of(role)));
                }
                return enterAndExec(List.of(dir.resolve("cgroup.procs")), command);
            } catch (IOException e) {
                throw new LabException("cannot create the cgroup of " + group + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void exemptCompilers(ProcessHandle process) {
        }

        @Override
        public CpuSample sample(String group, ProcessHandle process) {
            Path dir = lab.resolve(group);
            if (!Files.isDirectory(dir)) {
                return CpuSample.ZERO;
            }
            Map<String, Long> stat = keyValues(dir.resolve("cpu.stat"));
            return new CpuSample(stat.getOrDefault("usage_usec", 0L) * 1000, stat.getOrDefault("nr_periods", 0L),
                    stat.getOrDefault("nr_throttled", 0L), stat.getOrDefault("throttled_usec", 0L) * 1000);
        }

        @Override
        public void lift(String group) {
            write(lab.resolve(group).resolve("cpu.max"), "max " + enforcement.periodMicros());
        }

        @Override
        public void restore(String group, CpuEnforcement how) {
            Path dir = lab.resolve(group);
            double cpus = budgets.get(group);
            if (cpusets && wholeCpuset(group, cpus)) {
                write(dir.resolve("cpu.max"), "max " + how.periodMicros());
                return;
            }
            write(dir.resolve("cpu.max"), how.quotaMicros(cpus) + " " + how.periodMicros());
            if (Files.exists(dir.resolve("cpu.max.burst"))) {
                write(dir.resolve("cpu.max.burst"), Long.toString(how.burstMicros(cpus)));
            }
        }

        @Override
        public String describe(BudgetClass role, double cpus) {
            return "cpu.max " + enforcement.quotaMicros(cpus) / 1000.0 + "/" + enforcement.periodMicros() / 1000.0
                    + " ms" + (cpusets ? ", CPU " + CpuPlacement.format(placement.of(role)) : "");
        }

        @Override
        public String mechanism() {
            return "cgroup v2 CPU quota (" + enforcement.describe() + ", JIT compiler threads inside it)"
                    + (cpusets ? ", " + placement.describe() : ", no cpuset controller: sides not pinned apart");
        }

        @Override
        public boolean enforcesFractions() {
            return true;
        }

        @Override
        public void close() {
            removeLab(lab);
        }
    }

    /**
     * No writable cgroup: each side pinned to its CPUs with taskset. Budgets below a whole core are then not
     * enforced, and the table says so; CPU use is read from /proc.
     */
    static final class Pinning extends CpuControl {
        private final String why;

        Pinning(CpuEnforcement enforcement, CpuPlacement placement, String why) {
            super(enforcement, placement);
            this.why = why;
        }

        @Override
        public List<String> wrap(String group, BudgetClass role, double budget, List<String> command) {
            List<String> pinned = new ArrayList<>(List.of("taskset", "-c", CpuPlacement.format(placement.of(role))));
            pinned.addAll(command);
            return pinned;
        }

        @Override
        public void exemptCompilers(ProcessHandle process) {
        }

        @Override
        public CpuSample sample(String group, ProcessHandle process) {
            return process == null ? CpuSample.ZERO : new CpuSample(processTreeNanos(process), 0, 0, 0);
        }

        @Override
        public void lift(String group) {
        }

        @Override
        public void restore(String group, CpuEnforcement how) {
        }

        @Override
        public String describe(BudgetClass role, double budget) {
            return "pinned to CPU " + CpuPlacement.format(placement.of(role)) + " (budget not enforced)";
        }

        @Override
        public String mechanism() {
            return "CPU pinning (taskset), budgets not enforced: " + why + "; " + placement.describe();
        }

        @Override
        public boolean enforcesFractions() {
            return false;
        }

        @Override
        public void close() {
        }
    }
}
