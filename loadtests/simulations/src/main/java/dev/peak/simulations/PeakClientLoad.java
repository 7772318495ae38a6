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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.peak.client.Failover;
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
 * all, as {@link StubResolver} shares one resolver among the Gatling sessions. RI1 when only {@code peak.entry} is
 * given: k {@code GET /work}. RI2 with {@code peak.entryB}: a token from A, then k {@code GET /work} to B with it
 * ({@link TokenFlow}). {@code -Dpeak.failover=off}: one attempt per request, the same client without failover.
 *
 * <p>Blocking calls, one thread per open session: the sessions of a fault run at half of a lab's capacity are a
 * few dozen at a time.
 */
public final class PeakClientLoad {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Parameters parameters;
    private final DriverLink link;
    private final Levels levels;
    private final String primary;
    private final URI entry;
    private final URI entryB;
    private final HttpClient http;
    private final NameServers nameServers;
    private final Failover failover;
    private final ExecutorService sessions = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "peak-session");
        thread.setDaemon(true);
        return thread;
    });

    PeakClientLoad(Parameters parameters) {
        this.parameters = parameters;
        this.entry = URI.create(Parameters.required("peak.entry"));
        String b = System.getProperty("peak.entryB", "");
        this.entryB = b.isBlank() ? null : URI.create(b.strip());
        this.primary = entryB == null ? "work" : "b";
        List<String> kinds = entryB == null ? List.of("work") : List.of("b", "token");
        this.link = new DriverLink(parameters, primary, kinds, System.out);
        this.levels = link.levels();
        this.nameServers = NameServers.parse(Parameters.required("peak.dns"), PeakSimulation.DNS_QUERY_TIMEOUT);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1)).build();
        this.failover = System.getProperty("peak.failover", "on").equals("off") ? Failover.NONE : Failover.DEFAULT;
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
                sessions.execute(entryB == null ? this::ri1Session : this::ri2Session);
            }
        }
        sessions.shutdown();
        sessions.awaitTermination(parameters.timeout().toMillis() * (parameters.k() + 1L) + 1_000, TimeUnit.MILLISECONDS);
        link.finish();
    }

    private PeakClient newClient() {
        return PeakClient.builder().nameServers(nameServers).httpClient(http).failover(failover).build();
    }

    private void ri1Session() {
        Session session = new Session();
        PeakClient client = newClient();
        URI work = entry.resolve("/work?cost=" + session.cost);
        for (int i = 0; i < parameters.k(); i++) {
            session.timed("work", () -> client.send(HttpRequest.newBuilder(work).timeout(parameters.timeout()).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        session.end();
    }

    private void ri2Session() {
        Session session = new Session();
        TokenFlow flow = new TokenFlow(newClient(), entry.resolve("/token"), "{\"cost\":" + session.cost + "}",
                parameters.timeout());
        // the token request is timed on its own, as the simulation's setup step; its latency is shared by the k calls
        if (!session.setup(flow::token)) {
            return;
        }
        URI work = entryB.resolve("/work");
        for (int i = 0; i < parameters.k(); i++) {
            session.timed("b", () -> flow.get(work));
        }
        session.end();
    }

    /** A call the session times. */
    private interface Call<T> {
        T send() throws IOException, InterruptedException;
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

        /** The token request: OK when a token came back; without it, no call to B could be authorised. */
        boolean setup(Call<String> call) {
            int sentLevel = levels.openLevel();
            levels.sent(sentLevel);
            long sent = System.nanoTime();
            boolean ok;
            try {
                ok = call.send() != null;
            } catch (IOException e) {
                ok = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ok = false;
            }
            setupMicros = micros(sent);
            failed |= !ok;
            levels.ended(sentLevel, "token", ok, false, setupMicros, setupMicros, List.of());
            return ok;
        }

        /** A primary call: OK when answered 200 with the instance that served it; a 503 with Retry-After is a shed. */
        void timed(String kind, Call<HttpResponse<String>> call) {
            int sentLevel = levels.openLevel();
            levels.sent(sentLevel);
            long sent = System.nanoTime();
            boolean ok = false;
            boolean shed = false;
            List<String> instances = new ArrayList<>(1);
            try {
                HttpResponse<String> response = call.send();
                if (response.statusCode() == 200) {
                    JsonNode instance = JSON.readTree(response.body()).path("instance");
                    ok = instance.isTextual();
                    if (ok) {
                        instances.add(instance.asText());
                    }
                } else {
                    shed = response.statusCode() == 503 && response.headers().firstValue("Retry-After").isPresent();
                }
            } catch (IOException e) {
                // failed: a connect error, a timeout, or a body that is no JSON
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long micros = micros(sent);
            failed |= !ok;
            levels.ended(sentLevel, kind, ok, shed, micros, micros + setupMicros / parameters.k(), instances);
        }

        void end() {
            if (!failed) {
                levels.sessionEnded(level, micros(startedNanos));
            }
        }
    }

    private static long micros(long fromNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - fromNanos));
    }
}
