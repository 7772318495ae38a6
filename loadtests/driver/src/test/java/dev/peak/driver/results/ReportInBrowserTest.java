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
 * The report as a reader's browser draws it, in headless Chromium: no script error, no chart without data points, no
 * link of the table of contents without its section, Figure 1 first, the "At scale" section when, and only when, the
 * folder has a model.json. The last tests break a written page on purpose, to show that the check sees each fault.
 */
class ReportInBrowserTest {

    /** The charts of the "At scale" section, as report.js titles them for SampleModel's 50 % load. */
    private static final List<String> AT_SCALE_CHARTS = List.of("Maximum throughput against servers",
            "CPU outside the servers, against servers", "p99 at 50 % of capacity, against servers",
            "round-robin: Jain's index", "random: Jain's index");

    @TempDir
    Path dir;

    /** Without model.json: every section of the measurements, and neither an "At scale" section nor its link. */
    @Test
    void sampleReportDrawsEveryChartWithoutAnError() throws Exception {
        ReportWriter.write(SampleResults.create(), dir);
        BrowserCheck.Outcome outcome = BrowserCheck.assertDrawsEveryChartWithoutErrors(dir.resolve("index.html"));
        assertTrue(outcome.charts().size() >= 20, outcome.charts().toString());
        assertEquals(List.of("figure", "answers", "capacity", "latency", "cost", "generator", "staircases",
                "enforcement", "balance", "faults", "manifest"), outcome.sections());
        assertEquals(outcome.sections(), outcome.contents());
        List<String> titles = outcome.charts().stream().map(BrowserCheck.Chart::title).toList();
        assertTrue(AT_SCALE_CHARTS.stream().noneMatch(titles::contains), titles.toString());
    }

    /**
     * With scale.sh model's model.json beside results.json, gaps and all (SampleModel): the "At scale" section after
     * the measurements and before the manifest, listed in the table of contents, with its three charts against
     * servers and a heatmap of balance per policy, each with its points and without a script error.
     */
    @Test
    void aModelAddsTheAtScaleSectionWithItsCharts() throws Exception {
        SampleModel.write(dir);
        ReportWriter.write(SampleResults.create(), dir);
        BrowserCheck.Outcome outcome = BrowserCheck.assertDrawsEveryChartWithoutErrors(dir.resolve("index.html"));
        assertEquals(List.of("faults", "at-scale", "manifest"),
                outcome.sections().subList(outcome.sections().size() - 3, outcome.sections().size()));
        assertEquals(outcome.sections(), outcome.contents());
        List<String> titles = outcome.charts().stream().map(BrowserCheck.Chart::title).toList();
        assertEquals(AT_SCALE_CHARTS, titles.subList(titles.size() - AT_SCALE_CHARTS.size(), titles.size()));
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
    void aContentsLinkWithoutItsSectionFailsTheCheck() throws Exception {
        List<String> problems = problemsWith("document.querySelector('nav.toc').append(el('a', { href: '#nowhere' }, "
                + "'Nowhere'));");
        assertEquals(List.of("the table of contents links to #nowhere, which the page does not have"), problems);
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
