package dev.peak.driver.results;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Writes a results folder: results.json, results.csv and index.html with its charts (echarts.min.js beside it). */
public final class ReportWriter {

    static final String CSV_HEADER = "variant,servers,repeat,rate,achievedRps,ok,ko,p50Ms,p95Ms,p99Ms,maxMs,verdict,"
            + "generatorCpu";

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final String ECHARTS_POM = "/META-INF/maven/org.webjars.npm/echarts/pom.properties";

    private ReportWriter() {
    }

    /**
     * Writes results.json (pretty), results.csv (one row per step), echarts.min.js (copied from the webjar on the
     * class path) and index.html into {@code dir}, creating it if needed.
     */
    public static void write(Results results, Path dir) throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve("results.json").toFile(), results);
        Files.writeString(dir.resolve("results.csv"), csv(results));
        String echarts = "/META-INF/resources/webjars/echarts/" + echartsVersion() + "/dist/echarts.min.js";
        try (InputStream in = resource(echarts)) {
            Files.copy(in, dir.resolve("echarts.min.js"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(dir.resolve("index.html"), html(results));
    }

    /** Reads a results.json back, e.g. to write the report of an earlier run again. */
    public static Results read(Path resultsJson) throws IOException {
        return JSON.readValue(resultsJson.toFile(), Results.class);
    }

    /**
     * The console summary: per variant, max sustainable throughput by server count with its spread, p99 at max,
     * what stopped the staircase, scaling efficiency and lowest Jain index; then the faults. Fixed-width text.
     */
    public static String summaryTable(Results results) {
        return SummaryTable.of(results);
    }

    /**
     * The answers to the three research questions, from the numbers, then the limits of the run: one paragraph
     * each. They say when a difference is inside the spread, and what generator-bound steps and the sidecar
     * emulation do to the numbers.
     */
    public static List<String> answers(Results results) {
        return Answers.of(results);
    }

    static String csv(Results results) {
        StringBuilder out = new StringBuilder(CSV_HEADER).append('\n');
        for (Run run : results.runs()) {
            for (Step s : run.steps()) {
                out.append(String.join(",", run.variant(), Integer.toString(run.servers()),
                        Integer.toString(run.repeat()), number(s.rate()), number(s.achievedRps()),
                        Long.toString(s.ok()), Long.toString(s.ko()), number(s.p50Ms()), number(s.p95Ms()),
                        number(s.p99Ms()), number(s.maxMs()), s.verdict(), number(s.generatorCpu()))).append('\n');
            }
        }
        return out.toString();
    }

    /** The page: the template with the script and the data (one JSON object) put in. */
    static String html(Results results) throws IOException {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("results", results);
        data.put("answers", answers(results));
        data.put("labels", Variants.labels(results.manifest()));
        data.put("order", Variants.ORDER);
        data.put("summaryTable", summaryTable(results));
        // "<" only occurs inside JSON strings, where its escape means the same: no "</script>" can end the block early
        String json = JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(data)
                .replace("<", "\\u003c");
        return text("report.html")
                .replace("{{STYLE}}", text("report.css"))
                .replace("{{SCRIPT}}", text("report.js"))
                .replace("{{DATA}}", json);
    }

    private static String number(double value) {
        return Double.isFinite(value) ? BigDecimal.valueOf(value).stripTrailingZeros().toPlainString() : "";
    }

    private static String echartsVersion() throws IOException {
        Properties pom = new Properties();
        try (InputStream in = resource(ECHARTS_POM)) {
            pom.load(in);
        }
        return pom.getProperty("version");
    }

    private static String text(String name) throws IOException {
        try (InputStream in = resource(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = ReportWriter.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("missing from the class path: " + name);
        }
        return in;
    }
}
