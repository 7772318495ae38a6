package dev.peak.driver.results;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code scale.sh compare A B}: two results folders side by side, as a table on stdout and as compare.html with
 * the report's charts of both runs overlaid. A difference is flagged only beyond both runs' own spread.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare two results folders: maximum sustainable throughput, p99 at that maximum, CPU per "
                + "request and balance, A against B, flagging what differs beyond both runs' own spread. Prints the "
                + "table and writes compare.html into B (or --out).")
public final class CompareCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "A", description = "The results folder to compare against, e.g. results/<UTC time>")
    Path a;

    @Parameters(index = "1", paramLabel = "B", description = "The results folder compared with A")
    Path b;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the page (default: B/compare.html); "
            + "echarts.min.js is copied beside it")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Comparison comparison = Comparison.of(SavedRun.read(a), SavedRun.read(b));
        List<String> warnings = comparison.warnings();
        if (!warnings.isEmpty()) {
            spec.commandLine().getErr().println("warning: " + String.join("; ", warnings));
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(ComparisonTable.of(comparison));
        Path page = out != null ? out : b.resolve("compare.html");
        CompareWriter.write(comparison, page);
        stdout.println();
        stdout.println("Compared: " + page.toAbsolutePath());
        stdout.flush();
        return 0;
    }
}
