package dev.peak.common.metrics;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * Exports {@code peak_http_requests_in_flight}: application requests received and not yet answered.
 * peak-dns's least-loaded policy reads it as the instance's load, so management traffic under
 * {@code /q/} (health probes, metric scrapes) is left out: it would count the observer as load.
 *
 * <p>With {@code peak.http.max-in-flight} above 0 it also sheds load: a request that would be one more than
 * that many gets 503 at once, with {@code Retry-After} and the JSON error body, counted in
 * {@code peak_http_requests_shed_total}, instead of waiting in a queue until its client times out. Probes and
 * scrapes are never shed: a shedding instance is up and loaded, not down, and its gauge reads the bound.
 */
@ApplicationScoped
public class InFlightRequests {

    public static final String GAUGE = "peak.http.requests.in.flight";
    public static final String SHED = "peak.http.requests.shed";
    static final String OVERLOADED = "{\"error\":\"overloaded\",\"message\":"
            + "\"this instance is at its bound of requests in flight; retry after the time Retry-After gives\"}";

    private final AtomicInteger inFlight = new AtomicInteger();
    private final int maxInFlight;
    private final Counter shed;

    public InFlightRequests(MeterRegistry registry,
            @ConfigProperty(name = "peak.http.max-in-flight", defaultValue = "0") int maxInFlight) {
        if (maxInFlight < 0) {
            throw new IllegalArgumentException("peak.http.max-in-flight must be 0 (no bound) or more, not " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
        Gauge.builder(GAUGE, inFlight, AtomicInteger::get)
                .description("Application HTTP requests being handled by this instance (excludes /q/)")
                .register(registry);
        this.shed = Counter.builder(SHED)
                .description("Application HTTP requests answered 503 at once because peak.http.max-in-flight were in flight")
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
            int now = inFlight.incrementAndGet();
            if (maxInFlight > 0 && now > maxInFlight) {
                inFlight.decrementAndGet();
                shed.increment();
                rc.response().setStatusCode(503)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.RETRY_AFTER, "1")
                        .end(OVERLOADED);
                return;
            }
            rc.addEndHandler(done -> inFlight.decrementAndGet());
            rc.next();
        });
    }

    public int current() {
        return inFlight.get();
    }
}
