package dev.peak.driver.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    private static final Results SAMPLE = SampleResults.create();

    @TempDir
    Path dir;

    @Test
    void writesEveryFile() throws IOException {
        ReportWriter.write(SAMPLE, dir);
        for (String file : List.of("results.json", "results.csv", "index.html", "echarts.min.js")) {
            assertTrue(Files.size(dir.resolve(file)) > 0, file);
        }
        assertTrue(Files.readString(dir.resolve("echarts.min.js")).contains("echarts"));
    }

    @Test
    void resultsJsonRoundTrips() throws IOException {
        ReportWriter.write(SAMPLE, dir);
        assertEquals(SAMPLE, ReportWriter.read(dir.resolve("results.json")));
    }

    @Test
    void resultsJsonHasTheDocumentedFieldNames() throws IOException {
        ReportWriter.write(SAMPLE, dir);
        String json = Files.readString(dir.resolve("results.json"));
        for (String field : List.of("\"manifest\"", "\"runs\"", "\"variant\"", "\"servers\"", "\"repeat\"",
                "\"steps\"", "\"rate\"", "\"achievedRps\"", "\"ok\"", "\"ko\"", "\"p50Ms\"", "\"p95Ms\"",
                "\"p99Ms\"", "\"maxMs\"", "\"passed\"", "\"maxSustainableRps\"", "\"balance\"", "\"jain\"",
                "\"cv\"", "\"perInstance\"", "\"faults\"", "\"fault\"", "\"requests\"", "\"errors\"",
                "\"errorWindowS\"", "\"recoveryS\"", "\"summary\"", "\"maxRpsByServers\"",
                "\"scalingEfficiency\"", "\"p99AtMaxMsByServers\"", "\"jainMin\"")) {
            assertTrue(json.contains(field), field);
        }
    }

    @Test
    void resultsCsvHasOneRowPerStep() throws IOException {
        ReportWriter.write(SAMPLE, dir);
        List<String> lines = Files.readAllLines(dir.resolve("results.csv"));
        assertEquals(ReportWriter.CSV_HEADER, lines.get(0));
        long steps = SAMPLE.runs().stream().mapToLong(r -> r.steps().size()).sum();
        assertEquals(steps, lines.size() - 1);
        Run first = SAMPLE.runs().get(0);
        Step step = first.steps().get(0);
        String[] row = lines.get(1).split(",", -1);
        assertEquals(13, row.length);
        assertEquals(first.variant(), row[0]);
        assertEquals(Integer.toString(first.servers()), row[1]);
        assertEquals(step.rate(), Double.parseDouble(row[3]));
        assertEquals(step.achievedRps(), Double.parseDouble(row[4]));
        assertEquals(step.ko(), Long.parseLong(row[6]));
        assertEquals(step.verdict(), row[11]);
        Set<String> variants = lines.stream().skip(1).map(l -> l.split(",")[0]).collect(Collectors.toSet());
        assertEquals(Set.copyOf(Variants.ORDER), variants);
        assertTrue(lines.stream().anyMatch(l -> l.contains(",generator-bound,")));
    }

    @Test
    void indexHtmlEmbedsTheDataAndLoadsEchartsFromBesideIt() throws IOException {
        ReportWriter.write(SAMPLE, dir);
        String html = Files.readString(dir.resolve("index.html"));
        assertTrue(html.contains("<script src=\"echarts.min.js\"></script>"));
        assertTrue(html.contains("<script id=\"results-data\" type=\"application/json\">{\"results\":{\"manifest\""));
        assertTrue(html.contains("\"gitCommit\":\"0123456789abcdef0123456789abcdef01234567\""));
        assertTrue(html.contains("kill-dns-replica"));
        assertTrue(!html.contains("{{") && !html.contains("http://") && !html.contains("https://"),
                "no placeholder left and nothing fetched from the network");
    }

    @Test
    void embeddedDataCannotCloseItsScriptBlock() throws IOException {
        Manifest m = SAMPLE.manifest();
        Manifest hostile = new Manifest(m.profile(), "x </script><script>alert(1)</script>", m.gitCommit(),
                m.startedAt(), m.finishedAt(), m.versions(), m.machine(), m.cpuBudgets(), m.cpuEnforcement(),
                m.clientModel(), m.plan(), m.notes());
        String html = ReportWriter.html(new Results(hostile, SAMPLE.runs(), SAMPLE.faults(), SAMPLE.summary()));
        assertEquals(3, html.split("</script>", -1).length - 1, "only the page's own three script blocks close");
    }

    @Test
    void summaryTableListsVariantsFaultsAndGeneratorBoundSteps() {
        String table = ReportWriter.summaryTable(SAMPLE);
        for (String variant : Variants.ORDER) {
            assertTrue(table.contains(variant), variant);
        }
        assertTrue(table.contains("generator-bound *"));
        assertTrue(table.contains("not a failure of the system"));
        assertTrue(table.contains("not recovered"));
        assertTrue(table.contains("kill-dns-replica"));
    }

    @Test
    void answersAddressTheThreeQuestionsAndTheLabsLimits() {
        List<String> answers = ReportWriter.answers(SAMPLE);
        assertEquals(4, answers.size());
        assertTrue(answers.get(0).startsWith("RQ1"));
        assertTrue(answers.get(1).startsWith("RQ2"));
        assertTrue(answers.get(2).startsWith("RQ3"));
        assertTrue(answers.get(2).contains("lower bound"), answers.get(2));
        assertTrue(answers.get(3).contains("generator-bound"), answers.get(3));
        assertTrue(answers.get(3).contains("sidecar emulation"), answers.get(3));
    }

    @Test
    void answersSayWhenThereAreNoNumbers() {
        Results empty = Results.of(SampleResults.manifest(), List.of(), List.of());
        assertEquals(1, ReportWriter.answers(empty).size());
    }

    /** A profile with RI1 only and no fault run still gets every file; its empty charts say "no data". */
    @Test
    void writesAReportWithoutRi2OrFaults() throws IOException {
        List<Run> ri1 = SAMPLE.runs().stream().filter(r -> !Variants.isRi2(r.variant())).toList();
        Results partial = Results.of(SAMPLE.manifest(), ri1, List.of());
        Path out = Path.of("target", "sample-report-partial");
        ReportWriter.write(partial, out);
        assertEquals(partial, ReportWriter.read(out.resolve("results.json")));
        assertTrue(ReportWriter.summaryTable(partial).contains("(no fault run in this profile)"));
        assertTrue(String.join(" ", ReportWriter.answers(partial)).contains("No fault run in this profile."));
    }

    /** Leaves the sample report in target/sample-report/ to open in a browser. */
    @Test
    void writesTheSampleReportForLooking() throws IOException {
        Path out = Path.of("target", "sample-report");
        ReportWriter.write(SAMPLE, out);
        assertTrue(Files.exists(out.resolve("index.html")));
    }
}
