package dev.peak.simulations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Phaser;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import dev.peak.client.PeakClient;
import dev.peak.client.dns.NameServers;
import dev.peak.client.token.TokenFlow;

/**
 * PEAK's clients built on peak-client instead of Gatling: the generator of the fault runs that measure the
 * library's failover. It takes the same orders and answers with the same lines as the simulations
 * ({@link DriverLink}), offers the same open model (Poisson arrivals of sessions at {@code peak.maxRate / k} per
 * second, thinned to each level's rate) and times each request between the same points: right before it is handed
 * to the client, right after its answer was checked; a failover is part of the request it saves.
 *
 * <p>Every session is a client host of its own: its own {@link PeakClient} (its own DNS answers, kept for their
 * TTL, and its own bad addresses), with one HttpClient (connections) and one {@link NameServers} (sockets) shared by
 * all, as {@link StubResolver} shares one resolver among the Gatling sessions. Sessions therefore reuse each other's
 * connections to a server, where Gatling opens one per session: the servers accept fewer connections under this
 * generator. RI1 when only {@code peak.entry} is
 * given: k {@code GET /work}. RI2 with {@code peak.entryB}: a token from A, then k {@code GET /work} to B with it
 * ({@link TokenFlow}).
 *
 * <p>Nothing blocks: a session is a chain of the client's futures, and the HttpClient runs each completion on its
 * own I/O thread, where the next request of the session starts. One thread (the arrivals') and the HttpClient's
 * selector carry the load, as Gatling's event loop does; a thread per session cost twice the CPU per request on a
 * one-CPU budget, in context switches.
 */
public final class PeakClientLoad {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Parameters parameters;
    private final DriverLink link;
    private final Levels levels;
    private final URI entry;
    private final URI entryB;
    private final HttpClient http;
    private final NameServers nameServers;
    /** Why requests failed, printed when the run ends: the driver's figures count failures, this says what they were. */
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    /** Sessions started and not ended: the run waits for them before it reports. */
    private final Phaser open = new Phaser(1);

    PeakClientLoad(Parameters parameters) {
        this.parameters = parameters;
        this.entry = URI.create(Parameters.required("peak.entry"));
        String b = System.getProperty("peak.entryB", "");
        this.entryB = b.isBlank() ? null : URI.create(b.strip());
        List<String> kinds = entryB == null ? List.of("work") : List.of("b", "token");
        this.link = new DriverLink(parameters, kinds.get(0), kinds, System.out);
        this.levels = link.levels();
        this.nameServers = NameServers.parse(Parameters.required("peak.dns"), PeakSimulation.DNS_QUERY_TIMEOUT);
        // completions run where they happen, on the client's selector thread: no hand-off per request
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1))
                .executor(Runnable::run).build();
    }

    public static void main(String[] args) throws InterruptedException {
        PeakClientLoad load;
        try {
            load = new PeakClientLoad(Parameters.fromSystemProperties());
        } catch (IllegalArgumentException e) {
            System.err.println("peak: " + e.getMessage());
            System.exit(2);
            return;
        }
        load.run();
        System.exit(0);
    }

    private void run() throws InterruptedException {
        link.start(System.in);
        double sessionsPerSecond = parameters.maxRate() / parameters.k();
        long end = System.nanoTime() + parameters.maxDuration().toNanos();
        long next = System.nanoTime();
        while (!link.stopped() && System.nanoTime() - end < 0) {
            next += (long) (-Math.log(1 - ThreadLocalRandom.current().nextDouble()) / sessionsPerSecond * 1e9);
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            link.userArrived();
            if (levels.admit()) {
                open.register();
                Session session = new Session();
                if (entryB == null) {
                    ri1(session);
                } else {
                    ri2(session);
                }
            }
        }
        try {
            open.awaitAdvanceInterruptibly(open.arriveAndDeregister(),
                    parameters.timeout().toMillis() * (parameters.k() + 1L) + 1_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            System.err.println("peak: " + open.getUnarrivedParties() + " sessions had not ended when the run did");
        }
        link.finish();
        System.err.println("peak: failed requests by cause: " + new TreeMap<>(failures));
    }

    private PeakClient newClient() {
        return PeakClient.builder().nameServers(nameServers).httpClient(http).build();
    }

    /** RI1: k {@code GET /work}, one after the other, on the session's own client. */
    private void ri1(Session session) {
        PeakClient client = newClient();
        HttpRequest work = HttpRequest.newBuilder(entry.resolve("/work?cost=" + session.cost))
                .timeout(parameters.timeout()).build();
        session.calls("work", () -> client.sendAsync(work, HttpResponse.BodyHandlers.ofString()));
    }

    /** RI2: a token from A, timed on its own as the simulation's setup step, then k calls to B with it. */
    private void ri2(Session session) {
        TokenFlow flow = new TokenFlow(newClient(), entry.resolve("/token"), "{\"cost\":" + session.cost + "}",
                parameters.timeout());
        URI work = entryB.resolve("/work");
        session.setup(flow.tokenAsync(), () -> session.calls("b", () -> flow.getAsync(work)));
    }


    /** One client session's measurements, as PeakSimulation's ClientState keeps them. */
    private final class Session {
        final long startedNanos = System.nanoTime();
        final int level = levels.openLevel();
        final int cost = link.cost();
        boolean failed;
        long setupMicros;

        Session() {
            levels.sessionStarted(level);
        }

        /** The token request: OK when a token came back; without it no call to B could be authorised, and it ends. */
        void setup(CompletableFuture<String> token, Runnable then) {
            int sentLevel = levels.openLevel();
            levels.sent(sentLevel);
            long sent = System.nanoTime();
            token.whenComplete((value, error) -> {
                boolean ok = error == null;
                if (!ok) {
                    failed("token: " + cause(error));
                }
                setupMicros = micros(sent);
                failed |= !ok;
                levels.ended(sentLevel, "token", ok, false, setupMicros, setupMicros, List.of());
                if (ok) {
                    then.run();
                } else {
                    open.arriveAndDeregister();
                }
            });
        }

        /** k primary calls, each sent when the one before it has ended; then the session ends. */
        void calls(String kind, Supplier<CompletableFuture<HttpResponse<String>>> call) {
            call(kind, call, 0);
        }

        private void call(String kind, Supplier<CompletableFuture<HttpResponse<String>>> call, int index) {
            if (index == parameters.k()) {
                if (!failed) {
                    levels.sessionEnded(level, micros(startedNanos));
                }
                open.arriveAndDeregister();
                return;
            }
            int sentLevel = levels.openLevel();
            levels.sent(sentLevel);
            long sent = System.nanoTime();
            call.get().whenComplete((response, error) -> {
                timed(kind, sentLevel, sent, response, error);
                call(kind, call, index + 1);
            });
        }

        /** A primary call: OK when answered 200 with the instance that served it; a 503 with Retry-After is a shed. */
        private void timed(String kind, int sentLevel, long sent, HttpResponse<String> response, Throwable error) {
            long micros = micros(sent);
            boolean ok = false;
            boolean shed = false;
            List<String> instances = new ArrayList<>(1);
            if (error != null) {
                // a connect error or a timeout, after the client's failover if it has one
                failed(cause(error));
            } else if (response.statusCode() == 200) {
                String instance = instance(response.body());
                ok = instance != null;
                if (ok) {
                    instances.add(instance);
                } else {
                    failed("200 without an instance");
                }
            } else {
                shed = response.statusCode() == 503 && response.headers().firstValue("Retry-After").isPresent();
                failed("status " + response.statusCode() + (shed ? " shed" : ""));
            }
            failed |= !ok;
            levels.ended(sentLevel, kind, ok, shed, micros, micros + setupMicros / parameters.k(), instances);
        }
    }

    private static String instance(String body) {
        try {
            JsonNode instance = JSON.readTree(body).path("instance");
            return instance.isTextual() ? instance.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String cause(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause.getClass().getSimpleName();
    }

    private void failed(String cause) {
        failures.computeIfAbsent(cause, c -> new LongAdder()).increment();
    }

    private static long micros(long fromNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - fromNanos));
    }
}
