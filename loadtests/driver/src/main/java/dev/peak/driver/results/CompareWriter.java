package dev.peak.driver.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes compare.html, the report's charts of two runs overlaid, with echarts.min.js beside it. */
final class CompareWriter {

    private CompareWriter() {
    }

    static void write(Comparison comparison, Path page) throws IOException {
        Path dir = page.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        ReportWriter.copyEcharts(dir);
        Files.writeString(page, html(comparison));
    }

    /** The page: compare.html with compare.js and the data (one JSON object). */
    static String html(Comparison comparison) throws IOException {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("a", run(comparison, comparison.a()));
        data.put("b", run(comparison, comparison.b()));
        data.put("rows", comparison.rows());
        data.put("warnings", comparison.warnings());
        data.put("variants", ReportWriter.variantFacts(ReportWriter.onKubernetes(comparison.b().results().manifest())));
        data.put("table", ComparisonTable.of(comparison));
        return ReportWriter.page("compare.html", "compare.js", data);
    }

    /** What the page says about one run, and its staircases' levels for the p99 charts. */
    private static Map<String, Object> run(Comparison comparison, SavedRun run) {
        Manifest m = run.results().manifest();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("name", comparison.name(run));
        facts.put("folder", run.dir().toString());
        facts.put("profile", m == null ? null : m.profile());
        facts.put("commit", m == null || m.gitCommit() == null ? null : ComparisonTable.shortCommit(m.gitCommit()));
        facts.put("startedAt", m == null ? null : ComparisonTable.minute(m.startedAt()));
        facts.put("sloMs", m == null ? null : m.plan().get("sloMs"));
        facts.put("partial", run.partial());
        facts.put("runs", run.results().runs().stream().map(CompareWriter::staircase).toList());
        return facts;
    }

    /** A staircase as the p99 charts draw it: its levels' rates and p99s, enforcement checks left out. */
    private static Map<String, Object> staircase(StaircaseRun r) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("variant", r.variant());
        s.put("servers", r.servers());
        s.put("cost", r.cost());
        s.put("repeat", r.repeat());
        s.put("maxSustainableRps", r.maxSustainableRps());
        s.put("lowerBound", r.lowerBound());
        List<Map<String, Object>> levels = r.levels().stream().filter(l -> !Level.CHECK.equals(l.kind())).map(l -> {
            Map<String, Object> level = new LinkedHashMap<>();
            level.put("kind", l.kind());
            level.put("rate", l.rate());
            level.put("count", l.primary().count());
            level.put("p99Ms", l.primary().p99Ms());
            level.put("passed", l.passed());
            level.put("verdict", l.verdict());
            return level;
        }).toList();
        s.put("levels", levels);
        return s;
    }
}
