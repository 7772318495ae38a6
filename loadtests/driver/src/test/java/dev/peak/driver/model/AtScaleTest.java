package dev.peak.driver.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.peak.driver.model.ModelResults.CurvePoint;
import dev.peak.driver.results.Results;
import dev.peak.driver.results.SampleResults;
import dev.peak.driver.variant.Variant;

class AtScaleTest {

    private static final Results SAMPLE = SampleResults.create();

    private static ModelResults model(boolean sweeps) {
        ModelOptions options = new ModelOptions(List.of(1, 100), 2_000, OptionalDouble.empty(), 0.5, OptionalInt.of(1000),
                sweeps);
        return new AtScale(SAMPLE, "sample", options, line -> { }).compute();
    }

    @Test
    void theModelIsCalibratedOnTheSmallestServerCountAndCheckedAtEveryOther() {
        ModelResults m = model(false);

        assertTrue(m.calibration().stream().allMatch(c -> c.servers() == 1), m.calibration().toString());
        // the sample measured every variant at 1 and 2 servers, the mesh at 1 only
        assertEquals(2 * Variant.values().length - 1, m.validation().size());
        assertTrue(m.validation().stream().allMatch(v -> v.measuredRps() > 0 && v.modelRps() > 0));
    }

    @Test
    void everyVariantHasMeasuredPointsOnlyWhereTheLabMeasured() {
        ModelResults m = model(false);

        Set<Integer> measured = m.curves().stream().filter(p -> p.source().equals(CurvePoint.MEASURED))
                .map(CurvePoint::servers).collect(Collectors.toSet());
        Set<String> sources = m.curves().stream().map(CurvePoint::source).collect(Collectors.toSet());

        assertEquals(Set.of(1, 2), measured);
        assertEquals(Set.of(CurvePoint.MEASURED, CurvePoint.MODEL, CurvePoint.SIMULATION), sources);
    }

    @Test
    void aProxyCeilingStopsTheProxysCurveButNotPeaks() {
        ModelResults m = model(false);

        CurvePoint proxy = point(m, "ri1-haproxy", 100);
        CurvePoint peak = point(m, "ri1-peak", 100);

        assertEquals("proxy", proxy.bottleneck());
        assertTrue(peak.maxRps() > 10 * proxy.maxRps(), peak + " against " + proxy);
    }

    @Test
    void theAnswerSaysWhatWasMeasuredAndWhatWasModelled() {
        ModelResults m = model(true);

        String answer = String.join("\n", m.answer());
        assertTrue(answer.startsWith("RQ3"), answer);
        assertTrue(answer.contains("Measured in the lab at N = 1, 2"), answer);
        assertTrue(answer.contains("modelled (bottleneck model) and simulated"), answer);
        assertTrue(answer.contains("Where both exist"), answer);
        assertFalse(m.balance().isEmpty());
        assertFalse(m.errorWindows().isEmpty());
    }

    @Test
    void aCostTheRunDidNotMeasureIsRefused() {
        ModelOptions options = new ModelOptions(List.of(1), 2_000, OptionalDouble.empty(), 0.5, OptionalInt.of(7), false);

        assertThrows(IllegalArgumentException.class, () -> new AtScale(SAMPLE, "sample", options, line -> { }).compute());
    }

    @Test
    void theModelGoesBesideTheResultsAndIntoTheirReport(@TempDir Path dir) throws Exception {
        ModelOptions options = new ModelOptions(List.of(1, 10), 2_000, OptionalDouble.empty(), 0.5, OptionalInt.empty(),
                false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        ModelCommand.run(dir, SAMPLE, options, new PrintStream(out, true, StandardCharsets.UTF_8));

        JsonNode written = new ObjectMapper().readTree(dir.resolve("model.json").toFile());
        for (String array : List.of("curves", "usl", "validation")) {
            assertTrue(written.get(array).isArray() && !written.get(array).isEmpty(), array);
        }
        assertTrue(Files.readString(dir.resolve("index.html")).contains("\"model\":{"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("section \"At scale\""));
    }

    private static CurvePoint point(ModelResults m, String variant, int servers) {
        return m.curves().stream().filter(p -> p.variant().equals(variant) && p.servers() == servers
                && p.source().equals(CurvePoint.MODEL)).findFirst().orElseThrow();
    }
}
