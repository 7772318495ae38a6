package dev.peak.common.metrics;

import java.util.function.Predicate;

/** Reads one metric out of the Prometheus text exposition format, without a parser dependency. */
public final class PrometheusText {

    private PrometheusText() {
    }

    /** The sum of every sample of {@code metric} (all label sets), or null when there is none. */
    public static Double sum(String text, String metric) {
        return sum(text, metric, labels -> true);
    }

    /**
     * The sum of the samples of {@code metric} whose label set (the text between the braces, empty without) passes
     * {@code labels}, or null when there is none.
     */
    public static Double sum(String text, String metric, Predicate<String> labels) {
        if (text == null) {
            return null;
        }
        double total = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (!line.startsWith(metric) || line.length() <= metric.length()) {
                continue;
            }
            char next = line.charAt(metric.length());
            if (next != ' ' && next != '{') {
                continue;
            }
            int labelsEnd = next == '{' ? line.indexOf('}') : metric.length();
            if (labelsEnd < 0 || !labels.test(next == '{' ? line.substring(metric.length() + 1, labelsEnd) : "")) {
                continue;
            }
            String[] parts = line.substring(next == '{' ? labelsEnd + 1 : labelsEnd).strip().split("\\s+");
            try {
                total += Double.parseDouble(parts[0]);
                found = true;
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                // a malformed line counts as absent
            }
        }
        return found ? total : null;
    }
}
