package dev.peak.driver;

import dev.peak.driver.experiment.OverloadCommand;
import dev.peak.driver.experiment.SoakCommand;
import dev.peak.driver.kubernetes.ClusterException;
import dev.peak.driver.lab.LabCommand;
import dev.peak.driver.lab.LabException;
import dev.peak.driver.model.ModelCommand;
import dev.peak.driver.results.CompareCommand;
import dev.peak.driver.results.ReportCommand;

import io.fabric8.kubernetes.client.KubernetesClientException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code loadtests/scale.sh}: the lab launcher and the experiment driver. */
@Command(name = "scale.sh", mixinStandardHelpOptions = true, version = "peak-driver 1.0",
        description = "The PEAK experiment: bring variants up in the local lab (or find them on a Kubernetes cluster), "
                + "measure them, and compare two runs.",
        subcommands = {LabCommand.class, BenchCommand.class, OverloadCommand.class, SoakCommand.class, ReportCommand.class,
                CompareCommand.class, ModelCommand.class})
public final class Main implements Runnable {

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling: a wrong option, an unusable machine or cluster gets one line. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof KubernetesClientException) {
                        cmd.getErr().println("error: the Kubernetes API failed: " + e.getMessage());
                        return 1;
                    }
                    if (!(e instanceof LabException || e instanceof ClusterException
                            || e instanceof IllegalArgumentException || e instanceof IllegalStateException)) {
                        throw e;
                    }
                    cmd.getErr().println("error: " + e.getMessage());
                    return 1;
                });
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: lab, bench, overload, report, compare or model");
    }
}
