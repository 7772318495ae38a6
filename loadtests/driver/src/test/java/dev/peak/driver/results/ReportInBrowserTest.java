package dev.peak.driver.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a reader's browser draws it, in headless Chromium: no script error, no chart without data points,
 * Figure 1 first. The last three tests break a written page on purpose, to show that the check sees each fault.
 */
class ReportInBrowserTest {

    @TempDir
    Path dir;

    @Test
    void sampleReportDrawsEveryChartWithoutAnError() throws Exception {
        ReportWriter.write(SampleResults.create(), dir);
        BrowserCheck.Outcome outcome = BrowserCheck.assertDrawsEveryChartWithoutErrors(dir.resolve("index.html"));
        assertTrue(outcome.charts().size() >= 20, outcome.charts().toString());
    }

    /** The smoke profile has no search, no fixed rates and one server: its sections say so instead of empty charts. */
    @Test
    void smokeProfileReportDrawsNoChartWithoutData() throws Exception {
        ReportWriter.write(SampleResults.smoke(), dir);
        BrowserCheck.assertDrawsEveryChartWithoutErrors(dir.resolve("index.html"));
        String html = Files.readString(dir.resolve("index.html"));
        assertTrue(html.contains("\"search\":false"), "the smoke plan's shape");
    }

    /** Throughput and latency of each reference implementation, side by side, before every other chart. */
    @Test
    void figureOneIsTheFirstChart() throws Exception {
        ReportWriter.write(SampleResults.create(), dir);
        List<BrowserCheck.Chart> charts = BrowserCheck.open(dir.resolve("index.html")).charts();
        assertEquals(List.of("RI1: maximum sustainable requests/s", "RI1: transaction latency at 50 % of direct's capacity",
                "RI2: maximum sustainable transactions/s", "RI2: transaction latency at 50 % of direct's capacity"),
                charts.subList(0, 4).stream().map(BrowserCheck.Chart::title).toList());
    }

    @Test
    void aConsoleErrorFailsTheCheck() throws Exception {
        List<String> problems = problemsWith("console.error('deliberate console error');");
        assertTrue(problems.contains("page: deliberate console error"), problems.toString());
    }

    @Test
    void anUncaughtErrorFailsTheCheck() throws Exception {
        List<String> problems = problemsWith("deliberatelyUndefined();");
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("page: Uncaught ReferenceError: deliberatelyUndefined")),
                problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("log: Uncaught ReferenceError: deliberatelyUndefined")),
                problems.toString());
        assertTrue(problems.contains("report.js did not reach its end"), problems.toString());
    }

    @Test
    void aChartWithoutDataPointsFailsTheCheck() throws Exception {
        List<String> problems = problemsWith("chart(ROOT, Object.assign(baseOption('deliberately empty'), { series: [] }));");
        assertEquals(List.of("chart 'deliberately empty' has no data point"), problems);
    }

    @Test
    void withoutChromiumTheCheckFailsSayingHowToInstallIt() {
        AssertionError error = assertThrows(AssertionError.class, () -> BrowserCheck.chromium(dir.toString()));
        assertEquals("chromium is missing: apt-get install chromium", error.getMessage());
    }

    /** The sample report's problems once {@code statement} runs in report.js just before its last section. */
    private List<String> problemsWith(String statement) throws IOException, InterruptedException {
        ReportWriter.write(SampleResults.create(), dir);
        Path page = dir.resolve("index.html");
        String html = Files.readString(page);
        assertTrue(html.contains("\nmanifest();\n"), "report.js ends with its sections' calls");
        Files.writeString(page, html.replace("\nmanifest();\n", "\n" + statement + "\nmanifest();\n"));
        return BrowserCheck.open(page).problems();
    }
}
