package dev.peak.common.metrics;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * Exports {@code peak_http_requests_in_flight}: application requests received and not yet answered.
 * peak-dns's least-loaded policy reads it as the instance's load, so management traffic under
 * {@code /q/} (health probes, metric scrapes) is left out: it would count the observer as load.
 *
 * <p>It also sheds load, by either of two bounds: a request gets 503 at once, with {@code Retry-After} and the JSON
 * error body, counted in {@code peak_http_requests_shed_total}, instead of waiting until its client times out.
 * <ul>
 *   <li>{@code peak.http.max-event-loop-delay}: the event loop that reads the request is that far behind, and
 *       was at its last heartbeat too ({@link EventLoopDelay}). Work done inline on the loop queues in front of
 *       it, where no count of requests in flight can see it: there is never more than one.</li>
 *   <li>{@code peak.http.max-in-flight}: that many requests are in flight already. This sees work that waits
 *       off the loop: on worker threads, or for another service's answer.</li>
 * </ul>
 * Probes and scrapes are never shed: a shedding instance is up and loaded, not down.
 */
@ApplicationScoped
public class InFlightRequests {

    public static final String GAUGE = "peak.http.requests.in.flight";
    public static final String SHED = "peak.http.requests.shed";
    public static final String DELAY = "peak.http.event.loop.delay";
    static final String OVERLOADED = "{\"error\":\"overloaded\",\"message\":"
            + "\"this instance is overloaded; retry after the time Retry-After gives\"}";

    private final AtomicInteger inFlight = new AtomicInteger();
    private final int maxInFlight;
    private final long maxDelayNanos;
    private final Counter shed;

    public InFlightRequests(MeterRegistry registry, Vertx vertx,
            @ConfigProperty(name = "peak.http.max-in-flight", defaultValue = "0") int maxInFlight,
            @ConfigProperty(name = "peak.http.max-event-loop-delay", defaultValue = "25ms") Duration maxDelay) {
        if (maxInFlight < 0) {
            throw new IllegalArgumentException("peak.http.max-in-flight must be 0 (no bound) or more, not " + maxInFlight);
        }
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("peak.http.max-event-loop-delay must be 0 (no bound) or more, not " + maxDelay);
        }
        this.maxInFlight = maxInFlight;
        this.maxDelayNanos = maxDelay.toNanos();
        Gauge.builder(GAUGE, inFlight, AtomicInteger::get)
                .description("Application HTTP requests being handled by this instance (excludes /q/)")
                .register(registry);
        this.shed = Counter.builder(SHED)
                .description("Application HTTP requests answered 503 at once: the instance was past "
                        + "peak.http.max-event-loop-delay or peak.http.max-in-flight")
                .register(registry);
        if (maxDelayNanos > 0) {
            EventLoopDelay delay = new EventLoopDelay();
            vertx.nettyEventLoopGroup().forEach(delay::watch);
            Gauge.builder(DELAY, delay, EventLoopDelay::lastDelaySeconds).baseUnit("seconds")
                    .description("How late each event loop's last 5-ms heartbeat ran, on the latest loop")
                    .register(registry);
        }
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
            if ((maxInFlight > 0 && now > maxInFlight)
                    || (maxDelayNanos > 0 && EventLoopDelay.behind(maxDelayNanos))) {
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
