package dev.peak.dns.health;

/** Reads one metric out of the Prometheus text exposition format, without a parser dependency. */
final class PrometheusText {

    private PrometheusText() {
    }

    /** The sum of every sample of {@code metric} (all label sets), or null when there is none. */
    static Double sum(String text, String metric) {
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
            int valueStart = next == '{' ? line.indexOf('}') + 1 : metric.length();
            String[] parts = line.substring(valueStart).strip().split("\\s+");
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
