package dev.peak.simulations;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the PEAK simulations share: the run's {@link Parameters}, the open arrival model, and the steps
 * that time each request and each client session into {@link Measurements}, written to
 * {@code peak.out} when the run ends.
 *
 * <p>A request is OK when Gatling judges it so: status 200 and every check passed (so the instance
 * fields were found), no connect error, no timeout. A session is OK when all its requests were.
 */
public abstract class PeakSimulation extends Simulation {

    /** Port of every service instance (DESIGN §3), used where a simulation addresses instances itself. */
    static final int SERVICE_PORT = 8080;
    /** peak-dns's port (DESIGN §3). */
    static final int DNS_PORT = 53;

    private static final String SESSION_STARTED = "peak.sessionStarted";
    private static final String SESSION_FAILED = "peak.sessionFailed";
    private static final String SENT = "peak.sent";

    protected final Parameters parameters = Parameters.fromSystemProperties();
    private final List<String> requestKinds;
    private volatile Measurements measurements;

    /** @param requestKinds the request latency entries this simulation reports ("work", "token", ...) */
    protected PeakSimulation(String... requestKinds) {
        this.requestKinds = List.of(requestKinds);
    }

    @Override
    public void before() {
        measurements = Measurements.start(getClass().getSimpleName(), parameters, requestKinds);
    }

    @Override
    public void after() {
        measurements.finish();
        try {
            if (Parameters.STDOUT.equals(parameters.out())) {
                measurements.print(System.out);
            } else {
                measurements.write(Path.of(parameters.out()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + parameters.out(), e);
        }
    }

    /** HTTP/1.1, one keep-alive connection per virtual user (Gatling's default), no warm-up request, no cache. */
    protected HttpProtocolBuilder httpProtocol() {
        // Without disableCaching, a response with cache headers would let Gatling skip the next identical GET
        return http.disableWarmUp().disableCaching();
    }

    /**
     * Names resolved by peak-dns ({@code peak.dns}: one or more replicas' addresses, space-separated,
     * port 53), each virtual user with its own cache that honours the answer's TTL, as a real client
     * would; a replica that does not answer is skipped for the next.
     */
    protected HttpProtocolBuilder resolvingThroughPeakDns(HttpProtocolBuilder protocol) {
        String dns = Parameters.required("peak.dns");
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String address : dns.trim().split("[\\s,]+")) {
            try {
                servers.add(new InetSocketAddress(InetAddress.getByName(address), DNS_PORT));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("-Dpeak.dns=" + dns + ": " + address + " is not an address", e);
            }
        }
        // The String overload rejects IPv6 literals (DESIGN §7)
        return protocol.asyncNameResolution(servers.toArray(InetSocketAddress[]::new)).perUserNameResolution();
    }

    /** Open model: {@code peak.rate} new sessions per second for {@code peak.duration} s, Poisson arrivals. */
    protected OpenInjectionStep arrivals() {
        return constantUsersPerSec(parameters.rate()).during(Duration.ofSeconds(parameters.duration())).randomized();
    }

    /** One client session around {@code steps}: its latency runs from before the first step to after the last. */
    protected ChainBuilder clientSession(ChainBuilder steps) {
        return exec(session -> session.set(SESSION_STARTED, System.nanoTime()))
                .exec(steps)
                .exec(session -> {
                    measurements.recordSession(session.getLong(SESSION_STARTED), System.nanoTime(),
                            !session.contains(SESSION_FAILED));
                    return session.removeAll(SESSION_STARTED, SESSION_FAILED);
                });
    }

    /**
     * Sends {@code request} (with the run's timeout and a status 200 check) and records it as {@code kind}.
     * Latency: {@code System.nanoTime()} right before the request action and right after its checks,
     * which is Gatling's response time (including DNS and connect) at microsecond instead of millisecond
     * resolution. The request's checks save {@code instanceKeys}; their values count for perInstance
     * and are removed afterwards, so a later failed request cannot report a stale instance.
     */
    protected ChainBuilder timed(String kind, HttpRequestActionBuilder request, String... instanceKeys) {
        HttpRequestActionBuilder checked = request.requestTimeout(parameters.timeout()).check(status().is(200));
        return exec(session -> session.markAsSucceeded().set(SENT, System.nanoTime()))
                .exec(checked)
                .exec(session -> record(kind, session, instanceKeys));
    }

    private Session record(String kind, Session session, String... instanceKeys) {
        long done = System.nanoTime();
        // markAsSucceeded before the request makes isFailed() this request's verdict alone
        boolean ok = !session.isFailed();
        List<String> instances = new ArrayList<>(instanceKeys.length);
        for (String key : instanceKeys) {
            if (session.contains(key)) {
                instances.add(session.getString(key));
            } else {
                ok = false;
            }
        }
        measurements.recordRequest(kind, session.getLong(SENT), done, ok, instances);
        Session cleared = session.removeAll(instanceKeys).remove(SENT);
        return ok ? cleared : cleared.set(SESSION_FAILED, true);
    }
}
