package dev.peak.driver;

import dev.peak.driver.experiment.BenchCommand;
import dev.peak.driver.lab.LabCommand;
import dev.peak.driver.lab.LabException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code loadtests/scale.sh}: the lab launcher and the experiment driver. */
@Command(name = "scale.sh", mixinStandardHelpOptions = true, version = "peak-driver 1.0",
        description = "The PEAK experiment: bring variants up in the local lab and measure them.",
        subcommands = {LabCommand.class, BenchCommand.class})
public final class Main implements Runnable {

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    // A wrong option or an unusable machine gets its message, not a stack trace
                    if (!(e instanceof LabException || e instanceof IllegalArgumentException
                            || e instanceof IllegalStateException)) {
                        throw e;
                    }
                    cmd.getErr().println("error: " + e.getMessage());
                    return 1;
                })
                .execute(args));
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: lab or bench");
    }
}
