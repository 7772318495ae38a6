package dev.peak.driver.lab;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.peak.driver.variant.BudgetClass;
import dev.peak.driver.variant.Component;

/** One process of the lab: a service instance, a proxy, a sidecar, a peak-dns replica or the load. */
public final class Instance {

    private final String name;
    private final Component component;
    private final String address;
    private final int port;
    private final double cpus;
    private final String enforcement;
    private final Path log;
    private final Process process;

    private Instance(String name, Component component, String address, int port, double cpus, String enforcement,
                     Path log, Process process) {
        this.name = name;
        this.component = component;
        this.address = address;
        this.port = port;
        this.cpus = cpus;
        this.enforcement = enforcement;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code command} (already wrapped in its CPU budget) with its output in {@code log}. */
    static Instance start(String name, Component component, String address, int port, double cpus, String enforcement,
                          List<String> command, Map<String, String> env, Path workDir, Path log) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        try {
            return new Instance(name, component, address, port, cpus, enforcement, log, builder.start());
        } catch (IOException e) {
            throw new LabException("cannot start " + name + " (" + command.get(command.size() - 1) + "): "
                    + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    public Component component() {
        return component;
    }

    public BudgetClass role() {
        return component.role();
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    public double cpus() {
        return cpus;
    }

    public String enforcement() {
        return enforcement;
    }

    public long pid() {
        return process.pid();
    }

    public ProcessHandle process() {
        return process.toHandle();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL to the process and everything it started (nginx's and HAProxy's workers): a crash. */
    public void kill() {
        List<ProcessHandle> tree = tree();
        tree.forEach(ProcessHandle::destroyForcibly);
        waitFor(Duration.ofSeconds(5));
    }

    /** SIGTERM, then SIGKILL whatever is still running after {@code grace}. */
    public void stop(Duration grace) {
        List<ProcessHandle> tree = tree();
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
        waitFor(Duration.ofSeconds(5));
    }

    /** The last lines of the instance's output, for error messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    public Path log() {
        return log;
    }

    private List<ProcessHandle> tree() {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        process.descendants().forEach(tree::add);
        return tree;
    }

    private void waitFor(Duration timeout) {
        try {
            process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
