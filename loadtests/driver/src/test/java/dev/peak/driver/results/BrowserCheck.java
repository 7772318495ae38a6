package dev.peak.driver.results;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens a report's index.html in headless Chromium (Debian's {@code chromium}) and reads back what its script drew
 * and what went wrong: each chart box's {@code data-chart} and {@code data-points}, the count of boxes report.js
 * writes on {@code <main>} once it reached its end, its sections and the table of contents' links to them, the errors
 * report.html's recorder lists in the page, and the uncaught errors in Chromium's log.
 *
 * <p>Both channels are needed: this Chromium logs every console message at one level ({@code INFO:CONSOLE}), so a
 * {@code console.error} cannot be told from a {@code console.log} in its log, while an error thrown before the
 * page's recorder runs is only in the log.
 */
public final class BrowserCheck {

    static final String MISSING = "chromium is missing: apt-get install chromium";

    private static final long TIMEOUT_SECONDS = 60;
    // "[pid:tid:time:INFO:CONSOLE:12] "Uncaught ReferenceError: …", source: file:///…/index.html (12)"
    private static final Pattern UNCAUGHT = Pattern.compile(":CONSOLE[^\\]]*\\] \"(Uncaught[^\\n]*)");
    private static final Pattern SCRIPT = Pattern.compile("(?is)<script\\b[^>]*>.*?</script>");
    private static final Pattern TAG = Pattern.compile("<(div|main|section)\\b([^>]*)>");
    private static final Pattern CONTENTS = Pattern.compile("(?s)<nav class=\"toc\">(.*?)</nav>");
    private static final Pattern LINK = Pattern.compile("href=\"#([^\"]*)\"");
    private static final Pattern ATTRIBUTE = Pattern.compile("([\\w:-]+)=\"([^\"]*)\"");
    private static final Pattern RECORDED = Pattern.compile("(?s)<li class=\"script-error\">(.*?)</li>");

    /** One chart box as the page left it: its title and the data points ECharts held, -1 if it never drew. */
    public record Chart(String title, int points) {
    }

    /**
     * What the page drew and what went wrong.
     *
     * @param drawn    the chart boxes report.js counted at its end, or -1 if it did not get there
     * @param charts   every chart box found in the page
     * @param sections the ids of the page's sections, in its order
     * @param contents the sections the table of contents links to, in its order
     * @param errors   the errors the page recorded, then the uncaught ones from the log
     */
    public record Outcome(int drawn, List<Chart> charts, List<String> sections, List<String> contents,
                          List<String> errors) {

        /** Everything a reader would trip over: errors, a script that stopped, a chart without data, a dead link. */
        public List<String> problems() {
            List<String> problems = new ArrayList<>(errors);
            contents.stream().filter(id -> !sections.contains(id))
                    .forEach(id -> problems.add("the table of contents links to #" + id + ", which the page does not have"));
            if (drawn < 0) {
                problems.add("report.js did not reach its end");
            } else if (drawn != charts.size()) {
                problems.add("report.js counted " + drawn + " chart boxes, the page has " + charts.size());
            }
            charts.stream().filter(c -> c.points() <= 0)
                    .forEach(c -> problems.add("chart '" + c.title() + "' has no data point"));
            return problems;
        }
    }

    private BrowserCheck() {
    }

    /** Fails with every problem the page has, or with {@link #MISSING} when there is no chromium to look with. */
    public static Outcome assertDrawsEveryChartWithoutErrors(Path indexHtml) throws IOException, InterruptedException {
        Outcome outcome = open(indexHtml);
        if (!outcome.problems().isEmpty()) {
            throw new AssertionError(indexHtml + " in headless Chromium:\n  " + String.join("\n  ", outcome.problems()));
        }
        return outcome;
    }

    /** Loads the page, lets its scripts run for five seconds of virtual time, and reads the DOM and the log. */
    public static Outcome open(Path indexHtml) throws IOException, InterruptedException {
        Path chromium = chromium(System.getenv().getOrDefault("PATH", ""));
        Path dom = Files.createTempFile("report-dom", ".html");
        Path log = Files.createTempFile("report-log", ".txt");
        try {
            Process process = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    // the page opens from disk; Chromium's own update and time checks must not leave the machine
                    "--host-resolver-rules=MAP * ~NOTFOUND",
                    "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", "--dump-dom",
                    indexHtml.toAbsolutePath().toUri().toString())
                    .redirectOutput(dom.toFile()).redirectError(log.toFile()).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("chromium did not dump " + indexHtml + " within " + TIMEOUT_SECONDS + " s");
            }
            String logText = Files.readString(log, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError("chromium exited with " + process.exitValue() + ":\n" + logText);
            }
            return read(Files.readString(dom, StandardCharsets.UTF_8), logText);
        } finally {
            Files.deleteIfExists(dom);
            Files.deleteIfExists(log);
        }
    }

    /** The outcome of a dumped DOM and Chromium's log. */
    static Outcome read(String dom, String log) {
        // the inline scripts and the embedded data hold the same names as strings: only elements count
        String page = SCRIPT.matcher(dom).replaceAll("");
        int drawn = -1;
        List<Chart> charts = new ArrayList<>();
        List<String> sections = new ArrayList<>();
        Matcher tag = TAG.matcher(page);
        while (tag.find()) {
            Map<String, String> attributes = attributes(tag.group(2));
            if (tag.group(1).equals("section")) {
                sections.add(attributes.getOrDefault("id", "(no id)"));
            } else if (tag.group(1).equals("main") && attributes.containsKey("data-charts")) {
                drawn = Integer.parseInt(attributes.get("data-charts"));
            } else if (List.of(attributes.getOrDefault("class", "").split("\\s+")).contains("chart")) {
                charts.add(new Chart(attributes.getOrDefault("data-chart", "(untitled)"),
                        Integer.parseInt(attributes.getOrDefault("data-points", "-1"))));
            }
        }
        List<String> contents = new ArrayList<>();
        Matcher toc = CONTENTS.matcher(page);
        if (toc.find()) {
            Matcher link = LINK.matcher(toc.group(1));
            while (link.find()) {
                contents.add(unescape(link.group(1)));
            }
        }
        List<String> errors = new ArrayList<>();
        Matcher recorded = RECORDED.matcher(page);
        while (recorded.find()) {
            errors.add("page: " + unescape(recorded.group(1)));
        }
        Matcher uncaught = UNCAUGHT.matcher(log);
        while (uncaught.find()) {
            errors.add("log: " + uncaught.group(1));
        }
        return new Outcome(drawn, charts, sections, contents, errors);
    }

    private static Map<String, String> attributes(String text) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Matcher m = ATTRIBUTE.matcher(text);
        while (m.find()) {
            attributes.put(m.group(1), unescape(m.group(2)));
        }
        return attributes;
    }

    /** The entities Chromium writes in text and attribute values; {@code &amp;} last, so that it is not read twice. */
    private static String unescape(String html) {
        return html.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", "\u00a0")
                .replace("&amp;", "&");
    }

    /** Debian's chromium on {@code searchPath}: a missing browser fails the check, it never skips it. */
    static Path chromium(String searchPath) {
        for (String dir : searchPath.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "chromium");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(MISSING);
    }
}
