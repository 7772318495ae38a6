package dev.peak.driver.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.peak.driver.Main;
import picocli.CommandLine;

/** {@code scale.sh compare A B}: what it reads, prints and writes, and what it refuses. */
class CompareCommandTest {

    private static final Results SAMPLE = SampleResults.create();

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void aFolderWithoutResultsJsonIsRefusedWithOneLine() throws IOException {
        Path a = dir.resolve("a");
        ReportWriter.write(SAMPLE, a);
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertEquals(1, compare(a.toString(), empty.toString()));
        assertEquals("error: " + empty + " has no results.json: give a folder that make bench wrote, e.g. results/latest",
                err.toString().strip());
        assertEquals("", out.toString());
    }

    @Test
    void printsTheTableAndWritesComparePageIntoB() throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        ReportWriter.write(SAMPLE, a);
        ReportWriter.write(SAMPLE, b);
        assertEquals(0, compare(a.toString(), b.toString()));
        assertTrue(out.toString().startsWith("Runs compared\n  A  " + a + ": profile sample"), out.toString());
        assertTrue(out.toString().contains("Compared: " + b.toAbsolutePath().resolve("compare.html")), out.toString());
        assertTrue(Files.size(b.resolve("compare.html")) > 0);
        assertEquals("", err.toString(), "the same run twice: nothing to warn about");
    }

    @Test
    void writesThePageWhereOutSaysWithEchartsBesideIt() throws IOException {
        Path a = dir.resolve("a");
        ReportWriter.write(SAMPLE, a);
        Path page = dir.resolve("elsewhere").resolve("runs.html");
        assertEquals(0, compare(a.toString(), a.toString(), "--out", page.toString()));
        assertTrue(Files.exists(page));
        assertTrue(Files.exists(page.resolveSibling("echarts.min.js")));
        assertTrue(Files.notExists(a.resolve("compare.html")));
    }

    @Test
    void aPartialRunIsWarnedAboutOnOneLineOfStderr() throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        ReportWriter.write(SAMPLE, a);
        ReportWriter.write(SAMPLE, b);
        Path json = b.resolve("results.json");
        Files.writeString(json, Files.readString(json).replaceFirst("\"partial\" : false", "\"partial\" : true"));
        assertEquals(0, compare(a.toString(), b.toString()));
        assertEquals("warning: B is marked partial: its bench stopped before its plan ended", err.toString().strip());
    }

    private int compare(String... args) {
        CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "compare";
        System.arraycopy(args, 0, all, 1, args.length);
        return command.execute(all);
    }
}
