package dev.peak.driver.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** compare.html: one page, the data in it, ECharts beside it, nothing fetched. */
class CompareWriterTest {

    private static final Results SAMPLE = SampleResults.create();

    @Test
    void comparePageEmbedsBothRunsAndLoadsEchartsFromBesideIt() throws IOException {
        String html = CompareWriter.html(Comparison.of(folder("a", SAMPLE), folder("b", changed())));
        assertTrue(html.contains("<script src=\"echarts.min.js\"></script>"));
        assertTrue(html.contains("<script id=\"compare-data\" type=\"application/json\">{\"a\":{\"name\":\"A\""), html);
        assertTrue(html.contains("\"ratio\":") && html.contains("\"mark\":\"HIGHER\""), "ratios and marks come computed");
        assertTrue(html.contains("\"ri2-mesh\":{\"label\":\"RI2 mesh (sidecar emulation)\""), "labels and colours come with the data");
        assertTrue(!html.contains("{{") && !html.contains("http://") && !html.contains("https://"),
                "no placeholder left and nothing fetched from the network");
        assertEquals(4, html.split("</script>", -1).length - 1, "only the page's own four script blocks close");
    }

    /** Leaves a comparison of the sample with a changed copy in target/sample-compare/ to open in a browser. */
    @Test
    void writesTheSampleComparisonForLooking() throws IOException {
        Path page = Path.of("target", "sample-compare", "compare.html");
        CompareWriter.write(Comparison.of(folder("a", SAMPLE), folder("b", changed())), page);
        assertTrue(Files.exists(page.resolveSibling("echarts.min.js")));
    }

    private static SavedRun folder(String name, Results results) {
        return new SavedRun(Path.of(name), results, false);
    }

    /** The sample with nginx's staircases half again as fast and HAProxy at 2 servers not measured. */
    private static Results changed() {
        List<StaircaseRun> runs = SAMPLE.runs().stream().filter(r -> !(r.variant().equals("ri1-haproxy") && r.servers() == 2))
                .map(r -> r.variant().equals("ri1-nginx") ? faster(r, 1.5) : r).toList();
        return Results.of(SAMPLE.manifest(), runs, SAMPLE.costs(), SAMPLE.enforcement(),
                List.of(new Skipped("ri1-haproxy", 2, "not in this run's plan")), SAMPLE.faults());
    }

    private static StaircaseRun faster(StaircaseRun r, double factor) {
        List<Level> levels = r.levels().stream().map(l -> new Level(l.index(), l.kind(), l.fraction(), l.rate() * factor,
                l.achievedRps() * factor, l.ok(), l.ko(), l.shed(), l.sessions(), l.primary(), l.verdict(), l.passed(), l.generatorCpu(),
                l.throttledShare(), l.mostThrottled(), l.flags(), l.calls(), l.perInstance())).toList();
        return new StaircaseRun(r.variant(), r.servers(), r.cost(), r.repeat(), r.budgets(), levels,
                r.maxSustainableRps() == null ? null : r.maxSustainableRps() * factor, r.stop(), r.balance(), r.calls(),
                r.gatlingReport(), r.warmUp());
    }
}
