package dev.peak.simulations;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.stopLoadGeneratorIf;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.peak.client.dns.NameServers;

/**
 * What the PEAK simulations share: one warm JVM per staircase whose offered rate the driver sets level by level
 * ({@link DriverLink}, {@link Levels}), the open arrival model, client DNS through a shared stub resolver, and the
 * steps that time each request into its level.
 *
 * <p>A request is OK when Gatling judges it so: status 200 and every check passed (so the instance fields were
 * found), no connect error, no timeout. A session is OK when all its requests were. A failed request answered 503
 * with {@code Retry-After} was shed: the server refused it at once for being overloaded, which the driver tells
 * from a timeout.
 */
public abstract class PeakSimulation extends Simulation {

    /** Port of every service instance, used where a simulation addresses instances itself. */
    static final int SERVICE_PORT = 8080;
    /** How long a client waits for one peak-dns replica before asking the next, as the lab's resolv.conf says. */
    static final Duration DNS_QUERY_TIMEOUT = Duration.ofSeconds(1);

    /** The session attribute holding its {@link ClientState}. */
    private static final String STATE = "peak.state";
    /** The session attributes of the last answer's status and {@code Retry-After}, read and removed by {@link #record}. */
    private static final String STATUS = "peak.status";
    private static final String RETRY_AFTER = "peak.retryAfter";
    /** What a shedding server answers (peak-common's InFlightRequests), with {@code Retry-After}. */
    private static final int OVERLOADED = 503;

    protected final Parameters parameters = Parameters.fromSystemProperties();
    private final String primary;
    private final DriverLink link;
    private StubResolver stubResolver;

    /**
     * @param primary the request kind rates count and steps are judged by ("work", "b", "chain")
     * @param others  the other request kinds it times ("token")
     */
    protected PeakSimulation(String primary, String... others) {
        this.primary = primary;
        List<String> kinds = new ArrayList<>(List.of(primary));
        kinds.addAll(List.of(others));
        this.link = new DriverLink(parameters, primary, kinds, System.out);
    }

    @Override
    public void before() {
        link.start(System.in);
    }

    @Override
    public void after() {
        link.finish();
        if (stubResolver != null) {
            stubResolver.close();
        }
    }

    /** The simulation's clients, arriving as {@link #arrivals()} says, each a session of {@code steps} or nothing. */
    protected PopulationBuilder clients(String name, ChainBuilder steps) {
        ScenarioBuilder scenario = scenario(name)
                .exec(session -> {
                    link.userArrived();
                    return session;
                })
                .exec(stopLoadGeneratorIf("the driver ended the run", session -> link.stopped()))
                .doIf(session -> link.levels().admit()).then(clientSession(steps));
        return scenario.injectOpen(arrivals());
    }

    /** Sets up the run: the clients, the protocol and the bound on its length. */
    protected void run(PopulationBuilder clients, HttpProtocolBuilder protocol) {
        setUp(clients).protocols(protocol).maxDuration(parameters.maxDuration());
    }

    /** HTTP/1.1, one keep-alive connection per virtual user (Gatling's default), no warm-up request, no cache. */
    protected HttpProtocolBuilder httpProtocol() {
        // Without disableCaching, a response with cache headers would let Gatling skip the next identical GET
        return http.disableWarmUp().disableCaching();
    }

    /**
     * Names resolved by peak-dns ({@code peak.dns}: one or more replicas, space-separated, each an address on port
     * 53 or {@code [address]:port}) through one shared {@link StubResolver}; each session keeps its answers for
     * their TTL.
     */
    protected HttpProtocolBuilder resolvingThroughPeakDns(HttpProtocolBuilder protocol) {
        stubResolver = new StubResolver(dnsServers(Parameters.required("peak.dns")), DNS_QUERY_TIMEOUT);
        return protocol;
    }

    /** {@code "fd00:70ea::53 [::1]:5353"} as socket addresses, read as peak-client reads them. */
    static List<InetSocketAddress> dnsServers(String dns) {
        try {
            return NameServers.parse(dns, DNS_QUERY_TIMEOUT).servers();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-Dpeak.dns: " + e.getMessage(), e);
        }
    }

    /**
     * Open model: users arrive at {@code peak.maxRate / k} per second with Poisson arrivals for the whole run;
     * the levels' rates thin them ({@link Levels#admit()}).
     */
    private OpenInjectionStep arrivals() {
        return constantUsersPerSec(parameters.maxRate() / parameters.k()).during(parameters.maxDuration()).randomized();
    }

    /**
     * What a client session keeps between its steps, in one mutable object set once per session: Gatling's
     * sessions are immutable maps, and an attribute set and removed per request would copy them twice a request.
     * Only its own virtual user touches it, one step at a time.
     */
    private static final class ClientState {
        final long startedNanos = System.nanoTime();
        final int level;
        final int cost;
        boolean failed;
        long setupMicros;
        long sentNanos;
        int sentLevel;
        long lastMicros;

        ClientState(int level, int cost) {
            this.level = level;
            this.cost = cost;
        }
    }

    /** The work cost of {@code session}'s requests: the one ordered when it started, for all k of them. */
    protected static int cost(Session session) {
        ClientState state = session.get(STATE);
        return state.cost;
    }

    /** One client session around {@code steps}: its latency runs from before the first step to after the last. */
    private ChainBuilder clientSession(ChainBuilder steps) {
        return exec(session -> {
            int level = link.levels().openLevel();
            link.levels().sessionStarted(level);
            Session started = session.set(STATE, new ClientState(level, link.cost()));
            return stubResolver == null ? started
                    : started.set(StubResolver.GATLING_RESOLVER_ATTRIBUTE, stubResolver.newClient());
        })
                .exec(steps)
                .exec(session -> {
                    ClientState state = session.get(STATE);
                    if (!state.failed) {
                        link.levels().sessionEnded(state.level, micros(state.startedNanos, System.nanoTime()));
                    }
                    return session.remove(STATE);
                });
    }

    /**
     * Sends {@code request} (with the run's timeout and a status 200 check) and records it as {@code kind} in the
     * level whose window was open when it was sent. Latency: {@code System.nanoTime()} right before the request
     * action and right after its checks, which is Gatling's response time (including DNS and connect) at
     * microsecond resolution. The request's checks save {@code instanceKeys}; their values count for perInstance
     * and are removed afterwards, so a later failed request cannot report a stale instance.
     */
    protected ChainBuilder timed(String kind, HttpRequestActionBuilder request, String... instanceKeys) {
        // the status and Retry-After are saved before the check that fails on a 503, so that record can tell a shed
        HttpRequestActionBuilder checked = request.requestTimeout(parameters.timeout())
                .check(status().saveAs(STATUS), header("Retry-After").optional().saveAs(RETRY_AFTER), status().is(200));
        return exec(session -> {
            ClientState state = session.get(STATE);
            state.sentLevel = link.levels().openLevel();
            link.levels().sent(state.sentLevel);
            state.sentNanos = System.nanoTime();
            return session.markAsSucceeded();
        })
                .exec(checked)
                .exec(session -> record(kind, session, instanceKeys));
    }

    /**
     * Like {@link #timed}, for a request made once per session before its primary calls (RI2 PEAK's token): its
     * latency, divided among the session's k calls, is part of each call's transaction.
     */
    protected ChainBuilder setup(String kind, HttpRequestActionBuilder request) {
        return timed(kind, request).exec(session -> {
            ClientState state = session.get(STATE);
            state.setupMicros = state.lastMicros;
            return session;
        });
    }

    private Session record(String kind, Session session, String... instanceKeys) {
        long done = System.nanoTime();
        ClientState state = session.get(STATE);
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
        boolean shed = !ok && session.contains(RETRY_AFTER) && session.contains(STATUS)
                && session.getInt(STATUS) == OVERLOADED;
        long micros = micros(state.sentNanos, done);
        state.lastMicros = micros;
        state.failed |= !ok;
        link.levels().ended(state.sentLevel, kind, ok, shed, micros, micros + state.setupMicros / parameters.k(),
                instances);
        return session.removeAll(instanceKeys).removeAll(STATUS, RETRY_AFTER);
    }

    private static long micros(long fromNanos, long toNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMicros(toNanos - fromNanos));
    }
}
