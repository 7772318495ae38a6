package dev.peak.common.metrics;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;

/**
 * Exports {@code peak_http_requests_in_flight}: application requests received and not yet answered.
 * peak-dns's least-loaded policy reads it as the instance's load, so management traffic under
 * {@code /q/} (health probes, metric scrapes) is left out: it would count the observer as load.
 */
@ApplicationScoped
public class InFlightRequests {

    public static final String GAUGE = "peak.http.requests.in.flight";

    private final AtomicInteger inFlight = new AtomicInteger();

    public InFlightRequests(MeterRegistry registry) {
        Gauge.builder(GAUGE, inFlight, AtomicInteger::get)
                .description("Application HTTP requests being handled by this instance (excludes /q/)")
                .register(registry);
    }

    void register(@Observes Router router) {
        // Runs before every other route; the end handler fires once whether the response completes or
        // the connection drops, so the gauge cannot drift.
        router.route().order(Integer.MIN_VALUE).handler(rc -> {
            if (rc.normalizedPath().startsWith("/q/")) {
                rc.next();
                return;
            }
            inFlight.incrementAndGet();
            rc.addEndHandler(done -> inFlight.decrementAndGet());
            rc.next();
        });
    }

    public int current() {
        return inFlight.get();
    }
}
