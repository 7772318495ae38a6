package dev.peak.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;

import dev.peak.client.dns.Addresses;
import dev.peak.client.dns.NameServers;

/**
 * {@link KillServerIT}'s loop, run inside the private network namespace the test made, where the addresses below are
 * on {@code lo} and nothing can leave the machine. Two servers, a round-robin DNS stand-in that names one of them
 * per answer with a TTL of 1 s and stops naming a server 1 s after it dies (peak-dns's health check), and a steady
 * loop of client sessions, each a client of its own (10 requests, 20 sessions at a time, ~{@value #RATE}
 * requests/s). 1.5 s into each 5-s run one server is killed; the run is made without failover and with it, and
 * prints one {@code result NAME VALUE} line per figure.
 */
public final class KillServerLoop {

    static final InetAddress ONE = Addresses.literal("fd00:70ea::a1");
    static final InetAddress TWO = Addresses.literal("fd00:70ea::a2");
    static final InetAddress DNS = Addresses.literal("fd00:70ea::53");
    static final int PORT = 8080;
    static final int DNS_PORT = 5353;
    static final int RATE = 400;
    private static final int SESSIONS = 20;
    private static final int K = 10;

    private KillServerLoop() {
    }

    public static void main(String[] args) throws Exception {
        String hostNamespace = System.getenv("HOST_NETNS");
        if (hostNamespace == null || hostNamespace.equals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString())) {
            throw new IllegalStateException("not in a private network namespace: refusing to serve lab addresses");
        }
        try (StandInDns dns = new StandInDns(new InetSocketAddress(DNS, DNS_PORT))) {
            dns.oneAtATime();
            NameServers nameServers = NameServers.parse("[" + DNS.getHostAddress() + "]:" + DNS_PORT, Duration.ofSeconds(1));
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(1)).build();
            for (String mode : List.of("plain", "failover")) {
                run(mode, mode.equals("plain") ? Failover.NONE : Failover.DEFAULT, dns, nameServers, http);
            }
        }
        System.exit(0);
    }

    private static void run(String mode, Failover failover, StandInDns dns, NameServers nameServers, HttpClient http)
            throws Exception {
        HttpServer one = server(ONE, "a-1");
        HttpServer two = server(TWO, "a-2");
        dns.answer(1, ONE, TWO);
        AtomicLong requests = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong afterHealthCheck = new AtomicLong();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(5);
        long killAt = start + TimeUnit.MILLISECONDS.toNanos(1_500);
        long healthCheckAt = killAt + TimeUnit.SECONDS.toNanos(1);
        ScheduledExecutorService faults = Executors.newSingleThreadScheduledExecutor();
        faults.schedule(() -> two.stop(0), killAt - System.nanoTime(), TimeUnit.NANOSECONDS);
        faults.schedule(() -> dns.answer(1, ONE), healthCheckAt - System.nanoTime(), TimeUnit.NANOSECONDS);
        long pauseNanos = TimeUnit.SECONDS.toNanos(1) * SESSIONS / RATE;
        List<Thread> clients = new ArrayList<>();
        for (int s = 0; s < SESSIONS; s++) {
            Thread client = new Thread(() -> {
                while (System.nanoTime() - end < 0) {
                    PeakClient session = PeakClient.builder().nameServers(nameServers).httpClient(http)
                            .failover(failover).build();
                    for (int i = 0; i < K && System.nanoTime() - end < 0; i++) {
                        long sent = System.nanoTime();
                        requests.incrementAndGet();
                        if (!ok(session)) {
                            errors.incrementAndGet();
                            if (sent - healthCheckAt > TimeUnit.MILLISECONDS.toNanos(1_100)) {
                                afterHealthCheck.incrementAndGet();
                            }
                        }
                        long next = sent + pauseNanos - System.nanoTime();
                        if (next > 0) {
                            sleep(next);
                        }
                    }
                }
            });
            client.start();
            clients.add(client);
        }
        for (Thread client : clients) {
            client.join();
        }
        faults.shutdownNow();
        one.stop(0);
        System.out.printf("result %s.requests %d%nresult %s.errors %d%nresult %s.errorsAfterTheAnswersExpired %d%n",
                mode, requests.get(), mode, errors.get(), mode, afterHealthCheck.get());
    }

    private static boolean ok(PeakClient client) {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://a.peak.test:" + PORT + "/work")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static HttpServer server(InetAddress address, String instance) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, PORT), 64);
        byte[] body = ("{\"instance\":\"" + instance + "\"}").getBytes(StandardCharsets.UTF_8);
        server.createContext("/work", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return server;
    }

    private static void sleep(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
