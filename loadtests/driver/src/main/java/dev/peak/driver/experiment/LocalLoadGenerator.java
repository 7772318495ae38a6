package dev.peak.driver.experiment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.peak.driver.cpu.CpuBudgets;
import dev.peak.driver.variant.BudgetClass;
import dev.peak.driver.variant.Client;
import dev.peak.measurement.CostCommand;
import dev.peak.measurement.GeneratorLines;
import dev.peak.measurement.LevelCommand;
import dev.peak.measurement.LevelMeasurement;
import dev.peak.measurement.Tick;

/**
 * The load generator as one child JVM beside the driver for a whole staircase: Gatling calls System.exit, and its
 * Netty must stay off the driver's class path. It warms once and then offers each level the driver orders on its
 * standard input, answering with tagged lines on its standard output ({@link GeneratorLines}). The system under
 * test wraps the command (the lab: in the generator's CPU budget, on its own CPUs).
 */
public final class LocalLoadGenerator implements LoadGenerator {

    static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    /** Gatling's own start-up, before users arrive. */
    private static final long START_TIMEOUT_S = 60;
    /** Gatling writes its HTML report when told to stop. */
    private static final long STOP_TIMEOUT_S = 120;

    private final Path projectRoot;
    private final CpuBudgets budgets;
    private final boolean report;

    /** @param report whether Gatling writes its HTML report at the end of each staircase */
    public LocalLoadGenerator(Path projectRoot, CpuBudgets budgets, boolean report) {
        this.projectRoot = projectRoot;
        this.budgets = budgets;
        this.report = report;
    }

    @Override
    public boolean sends(Client client) {
        return true;
    }

    @Override
    public int generators() {
        return 1;
    }

    @Override
    public RunningLoad start(SystemUnderTest system, Workload workload, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        List<String> command = command(workload, Simulations.properties(system.environment(), workload, 1), dir);
        Process process = new ProcessBuilder(system.asLoad(command)).redirectErrorStream(true).start();
        GeneratorProcess run = new GeneratorProcess(process, dir);
        try {
            run.awaitReady();
            return run;
        } catch (IOException | RuntimeException | InterruptedException e) {
            run.close();
            throw e;
        }
    }

    private List<String> command(Workload workload, List<String> properties, Path dir) {
        Path simulations = projectRoot.resolve("loadtests/simulations/target");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(Simulations.jvmSizing(budgets.processors(BudgetClass.LOAD)));
        command.addAll(List.of(
                "-Xmx1g",
                // the generator's collections, beside its log: a pause there is latency the system did not add
                "-Xlog:gc:file=" + dir.resolve("gc.log") + ":time,uptime,level,tags",
                // Gatling 3.13+ reflects into java.lang; Java 17 refuses without this (gatling/gatling#4599)
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "-Djava.net.preferIPv6Addresses=true"));
        command.addAll(properties);
        command.addAll(List.of("-cp", simulations.resolve("peak-simulations.jar") + ":" + simulations.resolve("lib") + "/*"));
        if (workload.client() == Client.PEAK_CLIENT) {
            if (!workload.variant().usesDns()) {
                throw new IllegalArgumentException("peak-client's clients find servers through peak-dns: "
                        + workload.variant() + " has none");
            }
            command.add("dev.peak.simulations.PeakClientLoad");
            return command;
        }
        command.addAll(List.of("io.gatling.app.Gatling", "--simulation", workload.variant().simulation(),
                "--results-folder", dir.resolve("gatling").toString()));
        if (!report) {
            command.add("--no-reports");
        }
        return command;
    }

    /** One generator JVM: its orders in, its lines out (kept in gatling.log), its events handed to whoever waits. */
    private static final class GeneratorProcess implements RunningLoad {
        private final Process process;
        private final Path dir;
        private final Path log;
        private final Writer orders;
        private final BlockingQueue<GeneratorLines.Tagged> events = new LinkedBlockingQueue<>();
        private final Thread reader;

        GeneratorProcess(Process process, Path dir) {
            this.process = process;
            this.dir = dir;
            this.log = dir.resolve("gatling.log");
            this.orders = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            this.reader = new Thread(this::read, "generator-output");
            reader.setDaemon(true);
            reader.start();
        }

        @Override
        public boolean steerable() {
            return true;
        }

        void awaitReady() throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_S);
            while (true) {
                GeneratorLines.Tagged event = next(deadline, "start");
                if (event.tag().equals(GeneratorLines.READY)) {
                    return;
                }
            }
        }

        /**
         * Orders each level as soon as the previous one's window closes, not once its last request has ended: the
         * offered rate must not pause while the requests of an overloaded second drain.
         */
        @Override
        public List<LevelMeasurement> levels(List<LevelCommand> levels, Listener listener)
                throws IOException, InterruptedException {
            Map<Integer, LevelMeasurement> measured = new HashMap<>();
            int ordered = 0;
            order(levels.get(0).toLine());
            long deadline = deadline(levels, 0);
            while (measured.size() < levels.size()) {
                GeneratorLines.Tagged event = next(deadline, "level " + levels.get(ordered).level());
                switch (event.tag()) {
                    case GeneratorLines.WINDOW -> {
                        GeneratorLines.Window window = JSON.readValue(event.json(), GeneratorLines.Window.class);
                        if (window.open()) {
                            listener.windowOpened(window.level());
                        } else {
                            listener.windowClosed(window.level());
                            if (window.level() == levels.get(ordered).level() && ordered + 1 < levels.size()) {
                                order(levels.get(++ordered).toLine());
                                deadline = deadline(levels, ordered);
                            }
                        }
                    }
                    case GeneratorLines.TICK -> listener.tick(JSON.readValue(event.json(), Tick.class));
                    case GeneratorLines.LEVEL -> {
                        LevelMeasurement m = JSON.readValue(event.json(), LevelMeasurement.class);
                        measured.put(m.level(), m);
                    }
                    default -> { }
                }
            }
            return levels.stream().map(l -> measured.get(l.level())).toList();
        }

        /** When the levels from {@code from} on must all have been measured: every request ends one timeout after its window. */
        private static long deadline(List<LevelCommand> levels, int from) {
            long ms = levels.subList(from, levels.size()).stream().mapToLong(l -> l.settleMs() + l.windowMs()).sum();
            return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms) + TimeUnit.SECONDS.toNanos(30);
        }

        @Override
        public void cost(int cost) throws IOException {
            order(new CostCommand(cost).toLine());
        }

        @Override
        public Path gatlingReport() {
            Path folder = dir.resolve("gatling");
            if (!Files.isDirectory(folder)) {
                return null;
            }
            try (Stream<Path> files = Files.walk(folder, 2)) {
                return files.filter(f -> f.getFileName().toString().equals("index.html")).map(Path::getParent)
                        .findFirst().orElse(null);
            } catch (IOException e) {
                return null;
            }
        }

        @Override
        public void close() {
            try {
                order(LevelCommand.STOP);
                orders.close();
            } catch (IOException e) {
                // gone already
            }
            try {
                if (!process.waitFor(STOP_TIMEOUT_S, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
                reader.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }

        private void order(String line) throws IOException {
            orders.write(line + "\n");
            orders.flush();
        }

        /** The next event, or the reason there is none: the generator died, or said nothing in time. */
        private GeneratorLines.Tagged next(long deadlineNanos, String waitingFor) throws InterruptedException {
            GeneratorLines.Tagged event = events.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event != null && !event.tag().equals(EXITED)) {
                return event;
            }
            String why = event != null ? "exited (" + exitValue() + ")" : "said nothing in time";
            throw new IllegalStateException(String.format(Locale.ROOT, "the load generator %s while waiting for its %s; see %s",
                    why, waitingFor, log));
        }

        private String exitValue() {
            try {
                return "exit " + process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "exit unknown";
            }
        }

        /** Keeps Gatling's console in a log and hands the generator's own lines over as events. */
        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter to = new PrintWriter(Files.newBufferedWriter(log))) {
                String line;
                while ((line = in.readLine()) != null) {
                    GeneratorLines.parse(line).ifPresentOrElse(events::add, () -> { });
                    if (!line.startsWith(GeneratorLines.TICK)) {
                        to.println(line);
                    }
                }
            } catch (IOException e) {
                // the child ended; its exit status tells
            }
            events.add(new GeneratorLines.Tagged(EXITED, "{}"));
        }

        private static final String EXITED = "exited";
    }
}
