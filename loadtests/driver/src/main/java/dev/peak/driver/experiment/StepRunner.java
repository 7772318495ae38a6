package dev.peak.driver.experiment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import dev.peak.driver.lab.Lab;
import dev.peak.driver.lab.LabException;
import dev.peak.driver.lab.Role;

/**
 * Runs one constant-rate step: a Gatling simulation as a child process (Gatling calls System.exit,
 * and its Netty must stay off the driver's class path), inside the lab and under the load
 * generator's CPU budget, then reads what the simulation measured.
 */
final class StepRunner {

    /** Gatling prints this line when injection begins; fault times count from it. */
    private static final String STARTED = "started...";
    private static final Duration GRACE = Duration.ofSeconds(120);

    private final Path projectRoot;
    private final int k;
    private final int cost;

    StepRunner(Path projectRoot, int k, int cost) {
        this.projectRoot = projectRoot;
        this.k = k;
        this.cost = cost;
    }

    /** An action at a time after injection began (a fault run's kill). */
    record Fault(Duration at, Runnable action) {
    }

    record Outcome(SimulationResult result, double generatorCpu, Path gatlingReport, long faultEpochMs) {
    }

    /**
     * Offers {@code rate} primary requests per second for {@code settle} + {@code duration}; the simulation
     * leaves what starts during {@code settle} out of its figures. Writes everything into {@code dir}.
     */
    Outcome run(Lab lab, BenchVariant variant, double rate, Duration settle, Duration duration, Path dir,
                Optional<Fault> fault) throws IOException, InterruptedException {
        return run(lab, variant, rate, settle, duration, dir, fault, true);
    }

    /** The same without Gatling's HTML report: for warm-up steps nobody reads. */
    Outcome warmUp(Lab lab, BenchVariant variant, double rate, Duration duration, Path dir)
            throws IOException, InterruptedException {
        return run(lab, variant, rate, Duration.ZERO, duration, dir, Optional.empty(), false);
    }

    private Outcome run(Lab lab, BenchVariant variant, double rate, Duration settle, Duration duration, Path dir,
                        Optional<Fault> fault, boolean report) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path out = dir.resolve("simulation.json");
        List<String> command = command(lab, variant, rate, settle, duration, dir, out);
        if (!report) {
            command.add("--no-reports");
        }
        Process process = new ProcessBuilder(lab.asLoad(command)).redirectErrorStream(true).start();
        AtomicLong faultAt = new AtomicLong();
        Thread output = daemon(() -> copyOutput(process, dir.resolve("gatling.log"), fault, faultAt));
        try {
            if (!process.waitFor(settle.plus(duration).plus(GRACE).toSeconds(), TimeUnit.SECONDS)) {
                throw new LabException(variant + " at " + rate + " rps did not finish; see " + dir.resolve("gatling.log"));
            }
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        output.join(5_000);
        if (process.exitValue() != 0 || !Files.exists(out)) {
            throw new LabException(variant + " at " + rate + " rps failed (exit " + process.exitValue() + "); see "
                    + dir.resolve("gatling.log"));
        }
        SimulationResult result = SimulationResult.read(out);
        // CPU-seconds per second while the simulation ran, as it counted them itself: the JVM's start-up
        // and Gatling's report, outside that window, say nothing about the load it could generate
        double generatorCpu = result.processCpuS() / Math.max(1e-3, (result.endEpochMs() - result.startEpochMs()) / 1000.0);
        return new Outcome(result, generatorCpu, gatlingReport(dir.resolve("gatling")), faultAt.get());
    }

    private List<String> command(Lab lab, BenchVariant variant, double rate, Duration settle, Duration duration, Path dir,
                                 Path out) {
        Map<String, String> env = lab.environment();
        Path simulations = projectRoot.resolve("loadtests/simulations/target");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ActiveProcessorCount=" + lab.options().budgets().processors(Role.LOAD),
                "-Xmx1g",
                // Gatling 3.13+ reflects into java.lang; Java 17 refuses without this (gatling/gatling#4599)
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "-Djava.net.preferIPv6Addresses=true",
                "-Dpeak.entry=" + env.get("PEAK_ENTRY"),
                "-Dpeak.rate=" + rate / k,
                "-Dpeak.duration=" + duration.plus(settle).toSeconds(),
                "-Dpeak.settleS=" + settle.toSeconds(),
                "-Dpeak.k=" + k,
                "-Dpeak.cost=" + cost,
                "-Dpeak.out=" + out));
        if (env.containsKey("PEAK_ENTRY_B")) {
            command.add("-Dpeak.entryB=" + env.get("PEAK_ENTRY_B"));
        }
        if (env.containsKey("PEAK_DNS_SERVERS")) {
            command.add("-Dpeak.dns=" + env.get("PEAK_DNS_SERVERS"));
        }
        if (variant == BenchVariant.RI1_DIRECT) {
            command.add("-Dpeak.instances=" + env.get("PEAK_INSTANCES"));
        }
        command.addAll(List.of("-cp", simulations.resolve("peak-simulations.jar") + ":" + simulations.resolve("lib") + "/*",
                "io.gatling.app.Gatling", "--simulation", variant.simulation(),
                "--results-folder", dir.resolve("gatling").toString()));
        return command;
    }

    /** Keeps Gatling's console in a log, and fires the fault at its time after injection began. */
    private static void copyOutput(Process process, Path log, Optional<Fault> fault, AtomicLong faultAt) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter to = new PrintWriter(Files.newBufferedWriter(log))) {
            boolean scheduled = false;
            String line;
            while ((line = in.readLine()) != null) {
                to.println(line);
                if (fault.isPresent() && !scheduled && line.contains(STARTED)) {
                    scheduled = true;
                    Fault f = fault.get();
                    daemon(() -> {
                        try {
                            Thread.sleep(f.at().toMillis());
                            faultAt.set(System.currentTimeMillis());
                            f.action().run();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                }
            }
        } catch (IOException e) {
            // the child ended; its exit status tells
        }
    }

    private static Thread daemon(Runnable task) {
        Thread thread = new Thread(task, "step-runner");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** The folder of the Gatling HTML report the run wrote, if it wrote one. */
    private static Path gatlingReport(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return null;
        }
        try (Stream<Path> files = Files.walk(folder, 2)) {
            return files.filter(f -> f.getFileName().toString().equals("index.html")).map(Path::getParent)
                    .findFirst().orElse(null);
        }
    }
}
