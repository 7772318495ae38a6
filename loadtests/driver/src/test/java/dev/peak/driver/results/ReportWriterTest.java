package dev.peak.driver.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.peak.driver.variant.Client;
import dev.peak.driver.variant.FaultKind;
import dev.peak.driver.variant.Variant;

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

    /** Verdicts, stops and faults are enums in the code and the same lower-case names in results.json. */
    @Test
    void namedValuesKeepTheirResultsJsonNames() throws IOException {
        ReportWriter.write(SAMPLE, dir);
        String json = Files.readString(dir.resolve("results.json"));
        for (String named : List.of("\"verdict\" : \"pass\"", "\"verdict\" : \"generator-bound\"",
                "\"stop\" : \"failed\"", "\"fault\" : \"kill-dns-replica\"")) {
            assertTrue(json.contains(named), named);
        }
    }

    /** Files written before a fault run could be sent by peak-client were all sent by Gatling's clients. */
    @Test
    void aFaultRunWithoutAClientWasGatlings() throws IOException {
        FaultResult old = new ObjectMapper().readValue("{\"variant\":\"ri1-peak\",\"fault\":\"kill-server\","
                + "\"servers\":2,\"cost\":1000,\"rate\":1131.0,\"requests\":10390,\"errors\":600,\"errorWindowS\":2.0,"
                + "\"recoveryS\":1.0,\"faultAtS\":4,\"timeline\":[]}", FaultResult.class);
        assertEquals(Client.GATLING, old.client());
        assertEquals(null, old.generatorUsPerRequest(), "not recorded then");

        FaultResult failover = FaultResult.of("ri1-peak", FaultKind.KILL_SERVER, 2, 1000, 1783, 1,
                List.of(new Second(0, 1790, 0), new Second(1, 1801, 0)), Client.PEAK_CLIENT, 354.0);
        String json = new ObjectMapper().writeValueAsString(failover);
        assertTrue(json.contains("\"client\":\"peak-client\""), json);
        assertEquals(failover, new ObjectMapper().readValue(json, FaultResult.class));
    }

    @Test
    void resultsJsonHasTheDocumentedFieldNames() throws IOException {
        ReportWriter.write(SAMPLE, dir);
        String json = Files.readString(dir.resolve("results.json"));
        for (String field : List.of("\"manifest\"", "\"runs\"", "\"variant\"", "\"servers\"", "\"cost\"", "\"repeat\"",
                "\"levels\"", "\"kind\"", "\"fraction\"", "\"rate\"", "\"achievedRps\"", "\"ok\"", "\"ko\"", "\"p50Ms\"",
                "\"p90Ms\"", "\"p99Ms\"", "\"passed\"", "\"generatorCpu\"", "\"throttledShare\"", "\"maxSustainableRps\"",
                "\"stop\"", "\"balance\"", "\"jain\"", "\"costs\"", "\"offeredRps\"", "\"role\"", "\"instances\"",
                "\"cpuUsPerRequest\"", "\"throttledPeriods\"", "\"throttledMs\"", "\"costBreakdowns\"", "\"tax\"",
                "\"latencyAdded\"", "\"addedP99Ms\"", "\"enforcement\"", "\"skipped\"", "\"faults\"", "\"recoveryS\"",
                "\"capacities\"", "\"scaling\"", "\"efficiency\"", "\"answers\"")) {
            assertTrue(json.contains(field), field);
        }
    }

    @Test
    void resultsCsvHasOneRowPerLevel() throws IOException {
        ReportWriter.write(SAMPLE, dir);
        List<String> lines = Files.readAllLines(dir.resolve("results.csv"));
        assertEquals(ReportWriter.CSV_HEADER, lines.get(0));
        long levels = SAMPLE.runs().stream().mapToLong(r -> r.levels().size()).sum();
        assertEquals(levels, lines.size() - 1);
        StaircaseRun first = SAMPLE.runs().get(0);
        Level level = first.levels().get(0);
        String[] row = lines.get(1).split(",", -1);
        assertEquals(ReportWriter.CSV_HEADER.split(",").length, row.length);
        assertEquals(first.variant(), row[0]);
        assertEquals(Integer.toString(first.cost()), row[2]);
        assertEquals("fixed", row[5]);
        assertEquals(level.rate(), Double.parseDouble(row[7]));
        assertEquals(level.verdict().id(), row[List.of(ReportWriter.CSV_HEADER.split(",")).indexOf("verdict")]);
        Set<String> variants = lines.stream().skip(1).map(l -> l.split(",")[0]).collect(Collectors.toSet());
        assertEquals(Arrays.stream(Variant.values()).map(Variant::id).collect(Collectors.toSet()), variants);
        assertTrue(lines.stream().anyMatch(l -> l.contains(",generator-bound,")));
    }

    @Test
    void indexHtmlEmbedsTheDataAndTheVariantModelAndLoadsEchartsFromBesideIt() throws IOException {
        ReportWriter.write(SAMPLE, dir);
        String html = Files.readString(dir.resolve("index.html"));
        assertTrue(html.contains("<script src=\"echarts.min.js\"></script>"));
        assertTrue(html.contains("<script id=\"results-data\" type=\"application/json\">{\"results\":{\"manifest\""));
        assertTrue(html.contains("\"gitCommit\":\"0123456789abcdef0123456789abcdef01234567\""));
        assertTrue(html.contains("\"ri2-mesh\":{\"label\":\"RI2 mesh (sidecar emulation)\""), "labels and colours come with the data");
        assertTrue(!html.contains("{{") && !html.contains("http://") && !html.contains("https://"),
                "no placeholder left and nothing fetched from the network");
    }

    /** scale.sh model's model.json, when the folder has one, goes into the page's data as it is; else nothing does. */
    @Test
    void indexHtmlEmbedsModelJsonOnlyWhenTheFolderHasOne() throws IOException {
        ReportWriter.write(SAMPLE, dir);
        assertFalse(Files.readString(dir.resolve("index.html")).contains("\"model\":"));
        SampleModel.write(dir);
        ReportWriter.write(SAMPLE, dir);
        String html = Files.readString(dir.resolve("index.html"));
        assertTrue(html.contains(",\"model\":{\"settings\":{\"results\":\"target/sample\",\"cost\":1000,"), "model.json's object");
        assertTrue(html.contains("\"kappaCi\":[-2.0E-4,null]"), "its nulls as they are, for the page to skip");
    }

    @Test
    void embeddedDataCannotCloseItsScriptBlock() throws IOException {
        Manifest m = SAMPLE.manifest();
        Manifest hostile = new Manifest(m.profile(), "x </script><script>alert(1)</script>", m.gitCommit(),
                m.startedAt(), m.finishedAt(), m.versions(), m.machine(), m.cpuBudgets(), m.cpuEnforcement(),
                m.miniature(), m.clientModel(), m.plan(), m.notes(), m.partial());
        String html = ReportWriter.html(new Results(hostile, SAMPLE.runs(), SAMPLE.costs(), SAMPLE.costBreakdowns(),
                SAMPLE.latencyAdded(), SAMPLE.enforcement(), SAMPLE.skipped(), SAMPLE.faults(), SAMPLE.capacities(),
                SAMPLE.scaling(), SAMPLE.answers()));
        assertEquals(4, html.split("</script>", -1).length - 1,
                "only the page's own four script blocks close: the error recorder, echarts, the data, report.js");
    }

    @Test
    void summaryTableListsCapacitiesCostsLatencyTheCheckFaultsAndWhatWasNotMeasured() {
        String table = ReportWriter.summaryTable(SAMPLE);
        for (Variant variant : Variant.values()) {
            assertTrue(table.contains(variant.id()), variant.id());
        }
        assertTrue(table.contains("generator-bound"), table);
        assertTrue(table.contains("CPU µs per request at half"), table);
        assertTrue(table.contains("added over ri1-direct"), table);
        assertTrue(table.contains("100.0 ms period, no burst"), table);
        assertTrue(table.contains("not recovered"));
        assertTrue(table.contains("Not measured: ri2-mesh at 2 servers"), table);
    }

    @Test
    void answersAddressTheThreeQuestionsAndTheLabsLimits() {
        List<String> answers = SAMPLE.answers();
        String all = String.join("\n", answers);
        assertTrue(answers.get(0).startsWith("RQ1"));
        assertTrue(answers.stream().anyMatch(a -> a.startsWith("RI1, cost 0:") && a.contains("over direct")
                && a.contains("µs outside the servers")), all);
        assertTrue(answers.stream().anyMatch(a -> a.startsWith("RI2, cost 1000:")), all);
        assertTrue(answers.stream().anyMatch(a -> a.startsWith("Faults:")), all);
        String rq3 = answers.stream().filter(a -> a.startsWith("RQ3")).findFirst().orElseThrow();
        assertTrue(rq3.contains("lower bound"), rq3);
        assertTrue(answers.stream().anyMatch(a -> a.startsWith("Modelled ceilings:")), all);
        assertTrue(answers.stream().anyMatch(a -> a.startsWith("RQ2")), all);
        String limits = answers.get(answers.size() - 1);
        assertTrue(limits.startsWith("Limits of this run:"), limits);
        assertTrue(limits.contains("generator-bound"), limits);
        assertTrue(limits.contains("sidecar emulation"), limits);
        assertTrue(limits.contains("not measured: RI2 mesh (sidecar emulation) at 2 servers"), limits);
        assertTrue(limits.contains("a proxy keeps its connections to the servers open across sessions"), limits);
        assertTrue(limits.contains("a flood aimed at one server, or a scan of the servers' addresses, meets that server alone"),
                limits);
    }

    /** One run of the same staircase varied up to 1.8× here: a single repeat's maxima separate no variant. */
    @Test
    void aSingleRepeatsCapacityDifferenceIsInconclusive() {
        List<StaircaseRun> once = SAMPLE.runs().stream().filter(r -> r.repeat() == 1).toList();
        List<Cost> costs = SAMPLE.costs().stream().filter(c -> c.repeat() == 1).toList();
        Results single = Results.of(SAMPLE.manifest(), once, costs, List.of(), List.of(), List.of());
        List<String> answers = single.answers();
        String ri1 = answers.stream().filter(a -> a.startsWith("RI1, cost 0:")).findFirst().orElseThrow();
        assertTrue(ri1.contains("inconclusive: one repeat"), ri1);
        String rq2 = answers.stream().filter(a -> a.startsWith("RQ2")).findFirst().orElseThrow();
        String separated = rq2.substring(rq2.lastIndexOf("In this run"), rq2.indexOf(" separated PEAK"));
        assertFalse(separated.contains("throughput"), rq2);
        assertTrue(answers.get(answers.size() - 1).contains(Answers.ONE_RUN_SPREAD), answers.get(answers.size() - 1));
    }

    /**
     * RI2's transaction fails where RI1's servers are half busy, so the quick profile measures it at 10 and 25 % of
     * the baseline's capacity: its answer quotes the highest of those, and says what stopped each variant.
     */
    @Test
    void theRi2AnswerQuotesItsHighestFixedRateBelowHalfAndWhatLimitedEachVariant() {
        Predicate<Double> kept = f -> f == null || f <= 0.25;
        List<StaircaseRun> runs = SAMPLE.runs().stream().map(r -> !r.variant().startsWith("ri2-") ? r
                : new StaircaseRun(r.variant(), r.servers(), r.cost(), r.repeat(), r.budgets(),
                        r.levels().stream().filter(l -> kept.test(l.fraction())).toList(), r.maxSustainableRps(), r.stop(),
                        r.balance(), r.calls(), r.gatlingReport(), r.warmUp())).toList();
        List<Cost> costs = SAMPLE.costs().stream().filter(c -> !c.variant().startsWith("ri2-") || kept.test(c.fraction()))
                .toList();
        Results lower = Results.of(SAMPLE.manifest(), runs, costs, List.of(), List.of(), List.of());
        String ri2 = lower.answers().stream().filter(a -> a.startsWith("RI2, cost 0:")).findFirst().orElseThrow();
        assertTrue(ri2.contains("At 25 % of the baseline's capacity"), ri2);
        assertTrue(ri2.contains("the transaction (token / k + call to B, against one /chain) took"), ri2);
        assertTrue(ri2.contains("CPU per transaction there: RI2 PEAK"), ri2);
        String all = String.join("\n", lower.answers());
        assertTrue(all.contains(", limited by a-1's CPU quota (stopped for 3 % of the failed level)"), all);
        assertTrue(ri2.contains("RI2 PEAK sustained") && ri2.contains(" on 0.6 CPU") && ri2.contains(" on 1 CPU"),
                "PEAK's A, B and peak-dns against the mesh's A, B, two sidecars and ingress, 0.2 CPU each: " + ri2);
    }

    @Test
    void answersSayWhenThereAreNoNumbers() {
        Results empty = Results.of(SampleResults.manifest(), List.of(), List.of(), List.of(), List.of(), List.of());
        assertEquals(1, empty.answers().size());
    }

    /** A profile with RI1 only and no fault run still gets every file; ReportInBrowserTest draws its sections. */
    @Test
    void writesAReportWithoutRi2OrFaults() throws IOException {
        List<StaircaseRun> ri1 = SAMPLE.runs().stream().filter(r -> r.variant().startsWith("ri1-")).toList();
        List<Cost> costs = SAMPLE.costs().stream().filter(c -> c.variant().startsWith("ri1-")).toList();
        Results partial = Results.of(SAMPLE.manifest(), ri1, costs, List.of(), List.of(), List.of());
        Path out = Path.of("target", "sample-report-partial");
        ReportWriter.write(partial, out);
        assertEquals(partial, ReportWriter.read(out.resolve("results.json")));
        assertTrue(ReportWriter.summaryTable(partial).contains("(no fault run in this profile)"));
        assertTrue(String.join(" ", partial.answers()).contains("No fault run in this profile."));
    }

    /** Leaves the sample report in target/sample-report/, and with SampleModel in target/sample-report-model/. */
    @Test
    void writesTheSampleReportForLooking() throws IOException {
        Path out = Path.of("target", "sample-report");
        ReportWriter.write(SAMPLE, out);
        assertTrue(Files.exists(out.resolve("index.html")));
        Path withModel = Path.of("target", "sample-report-model");
        SampleModel.write(withModel);
        ReportWriter.write(SAMPLE, withModel);
        assertTrue(Files.readString(withModel.resolve("index.html")).contains("\"model\":{"));
    }
}
