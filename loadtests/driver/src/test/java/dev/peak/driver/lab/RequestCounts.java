package dev.peak.driver.lab;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.peak.driver.variant.BudgetClass;

/** The requests each live server of a lab has answered, from its own metrics: how the tests see where traffic went. */
final class RequestCounts {

    private static final Pattern REQUEST_COUNT = Pattern.compile(
            "(?m)^http_server_requests_seconds_count\\{([^}]*)\\} (\\S+)$");
    private static final Pattern URI_LABEL = Pattern.compile("uri=\"([^\"]*)\"");

    private RequestCounts() {
    }

    /** By instance name, health and metric scrapes under /q/ left out. */
    static Map<String, Long> of(Lab lab) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Instance i : lab.instances()) {
            if (i.role() != BudgetClass.SERVER || !i.alive()) {
                continue;
            }
            HttpResponse<String> metrics = Http.get(URI.create(Lab.url(i.address(), i.port()) + "/q/metrics"));
            if (metrics != null && metrics.statusCode() == 200) {
                counts.put(i.name(), served(metrics.body()));
            }
        }
        return counts;
    }

    /** Sums Micrometer's per-endpoint request counters, leaving out Quarkus' own /q/ endpoints. */
    static long served(String prometheusText) {
        long total = 0;
        Matcher m = REQUEST_COUNT.matcher(prometheusText);
        while (m.find()) {
            Matcher uri = URI_LABEL.matcher(m.group(1));
            if (uri.find() && !uri.group(1).startsWith("/q/")) {
                total += (long) Double.parseDouble(m.group(2));
            }
        }
        return total;
    }
}
