package dev.peak.driver.results;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.peak.driver.variant.Variant;

/** Writes a results folder: results.json, results.csv and index.html with its charts (echarts.min.js beside it). */
public final class ReportWriter {

    static final String CSV_HEADER = "variant,servers,cost,repeat,level,kind,fraction,rate,achievedRps,ok,ko,shed,p50Ms,p90Ms,"
            + "p95Ms,p99Ms,maxMs,verdict,generatorCpu,throttledShare";

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false).build();
    /** What scale.sh model writes beside results.json; the report shows it in its "At scale" section. */
    public static final String MODEL_FILE = "model.json";
    private static final String ECHARTS_POM = "/META-INF/maven/org.webjars.npm/echarts/pom.properties";

    private ReportWriter() {
    }

    /**
     * Writes results.json (pretty), results.csv (one row per step), echarts.min.js (copied from the webjar on the
     * class path) and index.html into {@code dir}, creating it if needed; index.html shows model.json too when the
     * folder has one.
     */
    public static void write(Results results, Path dir) throws IOException {
        Files.createDirectories(dir);
        writeAtomically(dir.resolve("results.json"), JSON.writeValueAsBytes(results));
        writeAtomically(dir.resolve("results.csv"), csv(results).getBytes(StandardCharsets.UTF_8));
        copyEcharts(dir);
        Path model = dir.resolve(MODEL_FILE);
        writeAtomically(dir.resolve("index.html"), html(results, Files.isRegularFile(model)
                ? JSON.readTree(model.toFile()) : null).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code content} beside {@code file} and renames it into place: a bench killed mid-write must leave the
     * previous complete file, which {@code bench --resume} and the report read back.
     */
    public static void writeAtomically(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Copies echarts.min.js from the webjar on the class path into {@code dir}: the pages load it from beside them. */
    static void copyEcharts(Path dir) throws IOException {
        String echarts = "/META-INF/resources/webjars/echarts/" + echartsVersion() + "/dist/echarts.min.js";
        try (InputStream in = resource(echarts)) {
            writeAtomically(dir.resolve("echarts.min.js"), in.readAllBytes());
        }
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

    static String csv(Results results) {
        StringBuilder out = new StringBuilder(CSV_HEADER).append('\n');
        for (StaircaseRun run : results.runs()) {
            for (Level l : run.levels()) {
                Percentiles p = l.primary();
                out.append(String.join(",", run.variant(), Integer.toString(run.servers()), Integer.toString(run.cost()),
                        Integer.toString(run.repeat()), Integer.toString(l.index()), l.kind(),
                        l.fraction() == null ? "" : number(l.fraction()), number(l.rate()), number(l.achievedRps()),
                        Long.toString(l.ok()), Long.toString(l.ko()), Long.toString(l.shed()), number(p.p50Ms()),
                        number(p.p90Ms()), number(p.p95Ms()), number(p.p99Ms()), number(p.maxMs()), l.verdict().id(), number(l.generatorCpu()),
                        number(l.throttledShare()))).append('\n');
            }
        }
        return out.toString();
    }

    /** The page: the template with the script and the data (one JSON object) put in. */
    static String html(Results results) throws IOException {
        return html(results, null);
    }

    /** The page, with the model of the run ({@code scale.sh model}'s model.json) when there is one. */
    static String html(Results results, JsonNode model) throws IOException {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("results", results);
        if (model != null) {
            data.put("model", model);
        }
        data.put("variants", variantFacts(onKubernetes(results.manifest())));
        data.put("summaryTable", summaryTable(results));
        return page("report.html", "report.js", data);
    }

    /**
     * A page of the suite: {@code template} with report.css, the script-error recorder (errors.js, first in the
     * head), what the pages share (page.js) then {@code script}, and {@code data} as one JSON object.
     */
    static String page(String template, String script, Map<String, Object> data) throws IOException {
        return text(template)
                .replace("{{STYLE}}", text("report.css"))
                .replace("{{ERRORS}}", text("errors.js"))
                .replace("{{SCRIPT}}", text("page.js") + "\n" + text(script))
                .replace("{{DATA}}", pageJson(data));
    }

    static boolean onKubernetes(Manifest manifest) {
        return manifest != null && "kubernetes".equals(String.valueOf(manifest.plan().get("platform")));
    }

    /** Every variant's label, colour and group, as the pages' scripts name and colour them, in the suite's order. */
    static Map<String, Object> variantFacts(boolean onKubernetes) {
        Map<String, Object> variants = new LinkedHashMap<>();
        for (Variant v : Variant.values()) {
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("label", v.label(onKubernetes));
            facts.put("color", v.color());
            facts.put("group", v.group().name());
            facts.put("peak", v.isPeak());
            facts.put("baseline", v.isBaseline());
            variants.put(v.id(), facts);
        }
        return variants;
    }

    /** {@code data} as one line of JSON to put inside a page's script block. */
    static String pageJson(Object data) throws IOException {
        // "<" only occurs inside JSON strings, where its escape means the same: no "</script>" can end the block early
        return JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(data)
                .replace("<", "\\u003c");
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

    /** A resource beside this class (a page's template, style or script) as text. */
    static String text(String name) throws IOException {
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
