package dev.peak.driver.experiment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.peak.driver.lab.CpuBudgets;
import dev.peak.driver.lab.LabException;
import dev.peak.driver.lab.Role;

/**
 * The load generator as a child JVM beside the driver: Gatling calls System.exit, and its Netty must stay off
 * the driver's class path. The system under test wraps the command (the lab: in the generator's CPU budget).
 */
public final class LocalLoadGenerator implements LoadGenerator {

    private final Path projectRoot;
    private final CpuBudgets budgets;

    public LocalLoadGenerator(Path projectRoot, CpuBudgets budgets) {
        this.projectRoot = projectRoot;
        this.budgets = budgets;
    }

    @Override
    public int generators() {
        return 1;
    }

    @Override
    public Run run(SystemUnderTest system, Request step, Runnable injectionStarted)
            throws IOException, InterruptedException {
        Path dir = step.dir();
        Files.createDirectories(dir);
        Path out = dir.resolve("simulation.json");
        List<String> command = command(step.variant(), step.properties(), dir, out);
        if (!step.report()) {
            command.add("--no-reports");
        }
        Process process = new ProcessBuilder(system.asLoad(command)).redirectErrorStream(true).start();
        Thread output = new Thread(() -> copyOutput(process, dir.resolve("gatling.log"), injectionStarted), "gatling-output");
        output.setDaemon(true);
        output.start();
        try {
            if (!process.waitFor(step.timeout().toSeconds(), TimeUnit.SECONDS)) {
                throw new LabException(step.label() + " did not finish; see " + dir.resolve("gatling.log"));
            }
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        output.join(5_000);
        if (process.exitValue() != 0 || !Files.exists(out)) {
            throw new LabException(step.label() + " failed (exit " + process.exitValue() + "); see "
                    + dir.resolve("gatling.log"));
        }
        return new Run(SimulationResult.read(out), gatlingReport(dir.resolve("gatling")));
    }

    private List<String> command(BenchVariant variant, Map<String, String> properties, Path dir, Path out) {
        Path simulations = projectRoot.resolve("loadtests/simulations/target");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ActiveProcessorCount=" + budgets.processors(Role.LOAD),
                "-Xmx1g",
                // Gatling 3.13+ reflects into java.lang; Java 17 refuses without this (gatling/gatling#4599)
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "-Djava.net.preferIPv6Addresses=true"));
        properties.forEach((name, value) -> command.add("-D" + name + "=" + value));
        command.add("-Dpeak.out=" + out);
        command.addAll(List.of("-cp", simulations.resolve("peak-simulations.jar") + ":" + simulations.resolve("lib") + "/*",
                "io.gatling.app.Gatling", "--simulation", variant.simulation(),
                "--results-folder", dir.resolve("gatling").toString()));
        return command;
    }

    /** Keeps Gatling's console in a log, and says when injection began. */
    private static void copyOutput(Process process, Path log, Runnable injectionStarted) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter to = new PrintWriter(Files.newBufferedWriter(log))) {
            boolean started = false;
            String line;
            while ((line = in.readLine()) != null) {
                to.println(line);
                if (!started && line.contains(INJECTION_STARTED)) {
                    started = true;
                    injectionStarted.run();
                }
            }
        } catch (IOException e) {
            // the child ended; its exit status tells
        }
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
