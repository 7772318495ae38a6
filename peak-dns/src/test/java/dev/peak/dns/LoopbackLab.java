package dev.peak.dns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The world peak-dns's @QuarkusTests run against: a zone file, and small HTTP servers standing in
 * for service instances on loopback addresses only (127.0.0.2 … 127.0.0.6 and ::1, one shared port),
 * so health checks never leave the machine. Every other address in the zone is answer data of a
 * service whose health checks are off.
 *
 * <p>Tests steer the stand-ins through a control server on 127.0.0.1 ({@link LabControl}) rather than
 * through static fields: the test class and this resource may live in different class loaders.
 */
public class LoopbackLab implements QuarkusTestResourceLifecycleManager {

    public static final String ZONE = "peak.test.";
    /** IPv6-only, k = 1, round-robin, health off. */
    public static final String A = "a";
    public static final List<String> A_ENDPOINTS = List.of("fd00:70ea::a:1", "fd00:70ea::a:2", "fd00:70ea::a:3");
    public static final long A_TTL = 7;
    /** k = 2 over three IPv6 endpoints, health off. */
    public static final String PAIR = "pair";
    public static final long PAIR_TTL = 9;
    public static final List<String> PAIR_ENDPOINTS = List.of("fd00:70ea::b:1", "fd00:70ea::b:2", "fd00:70ea::b:3");
    /** IPv4-only answer data (never contacted: health off). */
    public static final String V4 = "v4";
    public static final String V4_ENDPOINT = "10.70.0.1";
    /**
     * k = 16 over 16 IPv6 endpoints. The long label is what makes 16 AAAA records overflow 512 bytes:
     * with name compression each AAAA costs 28 bytes, so 16 of them (448) plus header and a short
     * question still fit.
     */
    public static final String BIG = "sixteen-addresses-do-not-fit-in-five-hundred-twelve";
    public static final List<String> BIG_ENDPOINTS = IntStream.rangeClosed(1, 16)
            .mapToObj(i -> "fd00:70ea::c:" + Integer.toHexString(i)).toList();
    /** Health-checked, round-robin, k = 1, over the stand-ins on 127.0.0.2 … 127.0.0.4. */
    public static final String WEB = "web";
    public static final List<String> WEB_ENDPOINTS = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4");
    /** Health-checked, least-loaded, over the stand-ins on 127.0.0.5 and 127.0.0.6. */
    public static final String LEAST = "least";
    public static final List<String> LEAST_ENDPOINTS = List.of("127.0.0.5", "127.0.0.6");
    /** Health-checked over IPv6: the stand-in on ::1. */
    public static final String LOOP6 = "loop6";
    public static final String LOOP6_ENDPOINT = "::1";

    public static final long HEALTH_INTERVAL_MILLIS = 200;
    public static final int RISE = 2;
    public static final int FALL = 2;

    private final Map<String, StandIn> standIns = new LinkedHashMap<>();
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private HttpServer control;
    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            int port = bindStandIns();
            dir = Files.createTempDirectory("peak-dns-test");
            Path file = dir.resolve("services.yaml");
            Files.writeString(file, zoneFile(port));
            control = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
            control.setExecutor(executor);
            control.createContext("/", this::control);
            control.start();
            Map<String, String> config = new HashMap<>();
            config.put("peak.dns.port", "0");
            config.put("peak.dns.host", "::1");
            config.put("peak.dns.zone", ZONE);
            config.put("peak.dns.static.file", file.toString());
            config.put("peak.dns.static.reload-interval", "200ms");
            config.put("lab.control", "http://127.0.0.1:" + control.getAddress().getPort());
            config.put("lab.port", Integer.toString(port));
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        standIns.values().forEach(StandIn::stop);
        if (control != null) {
            control.stop(0);
        }
        executor.shutdownNow();
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                // a temp directory left behind is harmless
            }
        }
    }

    /** The zone every default-profile test sees; {@code port} is where the stand-ins listen. */
    public static String zoneFile(int port) {
        String health = "{interval: " + HEALTH_INTERVAL_MILLIS + "ms, timeout: 150ms, rise: " + RISE + ", fall: " + FALL + "}";
        return "zone: " + ZONE + "\n"
                + "ttl: 5\n"
                + "services:\n"
                + "  " + A + ":\n"
                + "    ttl: " + A_TTL + "\n"
                + "    health: {interval: 0}\n"
                + "    endpoints: " + quoted(A_ENDPOINTS) + "\n"
                + "  " + PAIR + ":\n"
                + "    answer-size: 2\n"
                + "    ttl: " + PAIR_TTL + "\n"
                + "    health: {interval: 0}\n"
                + "    endpoints: " + quoted(PAIR_ENDPOINTS) + "\n"
                + "  " + V4 + ":\n"
                + "    health: {interval: 0}\n"
                + "    endpoints: [\"" + V4_ENDPOINT + "\"]\n"
                + "  " + BIG + ":\n"
                + "    answer-size: 16\n"
                + "    health: {interval: 0}\n"
                + "    endpoints: " + quoted(BIG_ENDPOINTS) + "\n"
                + "  " + WEB + ":\n"
                + "    port: " + port + "\n"
                + "    health: " + health + "\n"
                + "    endpoints: " + quoted(WEB_ENDPOINTS) + "\n"
                + "  " + LEAST + ":\n"
                + "    policy: least-loaded\n"
                + "    port: " + port + "\n"
                + "    health: " + health + "\n"
                + "    endpoints: " + quoted(LEAST_ENDPOINTS) + "\n"
                + "  " + LOOP6 + ":\n"
                + "    port: " + port + "\n"
                + "    health: " + health + "\n"
                + "    endpoints: [\"" + LOOP6_ENDPOINT + "\"]\n";
    }

    private static String quoted(List<String> addresses) {
        return addresses.stream().map(a -> "\"" + a + "\"").collect(Collectors.joining(", ", "[", "]"));
    }

    /** Binds every stand-in on one port, found by letting the kernel pick one for the first address. */
    private int bindStandIns() throws IOException {
        List<String> addresses = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6", "::1");
        for (int attempt = 0; ; attempt++) {
            standIns.values().forEach(StandIn::stop);
            standIns.clear();
            try {
                int port = 0;
                for (String address : addresses) {
                    StandIn standIn = new StandIn(address, port, executor);
                    port = standIn.port;
                    standIns.put(address, standIn);
                }
                return port;
            } catch (BindException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /**
     * {@code GET /<address>/status?<code>}, {@code /<address>/load?<n>}, {@code /<address>/shedding?<true|false>},
     * {@code /<address>/stop},
     * {@code /<address>/start}, {@code /<address>/host} (the Host header of its last probe).
     */
    private void control(HttpExchange exchange) throws IOException {
        String[] parts = exchange.getRequestURI().getPath().split("/");
        String query = exchange.getRequestURI().getQuery();
        StandIn standIn = parts.length == 3 ? standIns.get(parts[1]) : null;
        if (standIn == null) {
            send(exchange, 404, "no stand-in " + exchange.getRequestURI());
            return;
        }
        String answer = switch (parts[2]) {
            case "status" -> {
                standIn.status = Integer.parseInt(query);
                yield "ok";
            }
            case "load" -> {
                standIn.load = Double.parseDouble(query);
                yield "ok";
            }
            case "shedding" -> {
                standIn.shedding = Boolean.parseBoolean(query);
                yield "ok";
            }
            case "stop" -> {
                standIn.stop();
                yield "ok";
            }
            case "start" -> {
                standIn.start();
                yield "ok";
            }
            case "host" -> String.valueOf(standIn.lastHost);
            default -> null;
        };
        if (answer == null) {
            send(exchange, 404, "no action " + parts[2]);
        } else {
            send(exchange, 200, answer);
        }
    }

    static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** host[:port] of RFC 9110 §7.2: an IPv6 literal needs brackets. */
    static boolean validHost(String host) {
        return host != null && (host.startsWith("[") ? host.matches("\\[[0-9A-Fa-f:.]+](:\\d+)?") : host.matches("[^:\\[\\]]+(:\\d+)?"));
    }

    /** One service instance as peak-dns sees it: readiness and an in-flight gauge. */
    private static final class StandIn {
        private final InetAddress address;
        private final ExecutorService executor;
        private int port;
        private HttpServer server;
        private volatile int status = 200;
        private volatile double load;
        /** While set, every metrics read shows one more request shed than the last, as a shedding service's would. */
        private volatile boolean shedding;
        private final AtomicLong shed = new AtomicLong();
        private volatile String lastHost;

        StandIn(String address, int port, ExecutorService executor) throws IOException {
            this.address = InetAddress.getByName(address);
            this.port = port;
            this.executor = executor;
            start();
        }

        synchronized void start() throws IOException {
            if (server != null) {
                return;
            }
            server = HttpServer.create(new InetSocketAddress(address, port), 0);
            port = server.getAddress().getPort();
            server.setExecutor(executor);
            server.createContext("/q/health/ready", exchange -> {
                lastHost = exchange.getRequestHeaders().getFirst("Host");
                if (!validHost(lastHost)) {
                    // as strict as Vert.x, so as every Quarkus service
                    send(exchange, 400, "bad Host header");
                    return;
                }
                send(exchange, status, status == 200 ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
            });
            server.createContext("/q/metrics", exchange -> send(exchange, 200,
                    "# TYPE peak_http_requests_in_flight gauge\npeak_http_requests_in_flight " + load + "\n"
                            + "# TYPE peak_http_requests_shed_total counter\npeak_http_requests_shed_total "
                            + (shedding ? shed.incrementAndGet() : shed.get()) + ".0\n"));
            server.start();
        }

        synchronized void stop() {
            if (server != null) {
                server.stop(0);
                server = null;
            }
        }
    }
}
