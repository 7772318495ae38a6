package dev.peak.driver.model;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.peak.driver.lab.LabCommand;
import dev.peak.driver.results.ReportWriter;
import dev.peak.driver.results.Results;
import dev.peak.driver.results.SavedRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scale.sh model}: calibrates the capacity model and the simulation on a results folder, checks them against
 * it, carries every variant to large server counts, writes model.json beside results.json and adds the "At scale"
 * section to its report.
 */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = {"Carry a run beyond the lab: a capacity model, Universal Scalability Law fits and a discrete-event "
                + "simulation, calibrated on the run's costs and checked against its maxima, balance and faults.",
                "Writes model.json into the results folder and adds an \"At scale\" section to its index.html."})
public final class ModelCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Option(names = "--from", paramLabel = "DIR", description = "The results folder (default: results/latest)")
    Path from;

    @Option(names = "--servers", split = ",", description = "Server counts of the curves (default: 1,10,100,1000,10000)")
    List<Integer> servers;

    @Option(names = "--sessions", defaultValue = "20000",
            description = "Client sessions of one simulation at least; more at large server counts, so that every "
                    + "server answers 200 requests (default: ${DEFAULT-VALUE})")
    long sessions;

    @Option(names = "--proxy-cpus", description = "CPUs of the one reverse proxy, and of the mesh's ingress, at every "
            + "server count (default: the lab's proxy budget)")
    Double proxyCpus;

    @Option(names = "--load", defaultValue = "0.5",
            description = "Simulations offer this share of the model's capacity (default: ${DEFAULT-VALUE})")
    double load;

    @Option(names = "--cost", description = "The work cost to calibrate on (default: the largest measured)")
    Integer cost;

    @Option(names = "--no-sweeps", description = "Skip the balance and error-window sweeps")
    boolean noSweeps;

    @Override
    public Integer call() throws IOException {
        Path dir = from != null ? from : LabCommand.projectRoot().resolve("results").resolve("latest");
        ModelOptions options = new ModelOptions(servers == null ? ModelOptions.SERVERS : servers, sessions,
                proxyCpus == null ? OptionalDouble.empty() : OptionalDouble.of(proxyCpus), load,
                cost == null ? OptionalInt.empty() : OptionalInt.of(cost), !noSweeps);
        run(dir, SavedRun.read(dir).results(), options, System.out);
        return 0;
    }

    /** What make bench runs after its measurements, on the folder it wrote. */
    public static void runFast(Path dir, Results results, PrintStream out) throws IOException {
        run(dir, results, ModelOptions.fast(), out);
    }

    static void run(Path dir, Results results, ModelOptions options, PrintStream out) throws IOException {
        out.println("Model of " + dir + ": calibrating on its costs, checking against its maxima, simulating up to "
                + String.format(Locale.ROOT, "%,d", options.servers().stream().mapToInt(Integer::intValue).max()
                .orElseThrow()) + " servers");
        long started = System.nanoTime();
        ModelResults model = new AtScale(results, dir.toString(), options, line -> out.println("  " + line)).compute();
        Files.createDirectories(dir);
        ReportWriter.writeAtomically(dir.resolve(ReportWriter.MODEL_FILE), JSON.writeValueAsBytes(model));
        ReportWriter.write(results, dir);
        out.println();
        model.answer().forEach(paragraph -> out.println(paragraph + "\n"));
        model.timings().forEach(t -> out.printf(Locale.ROOT, "Simulated %s at %,d servers: %,d sessions (%,d requests, "
                + "%,d events) in %.1f s%n", t.variant(), t.servers(), t.sessions(), t.requests(), t.events(), t.wallS()));
        out.printf(Locale.ROOT, "Model written in %.0f s: %s; report: %s (section \"At scale\")%n",
                (System.nanoTime() - started) / 1e9, dir.resolve(ReportWriter.MODEL_FILE), dir.resolve("index.html"));
    }
}
