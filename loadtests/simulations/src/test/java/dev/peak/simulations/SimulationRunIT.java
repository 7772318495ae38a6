package dev.peak.simulations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs packaged simulations exactly as the driver does (a child JVM, {@code io.gatling.app.Gatling}) against
 * a stand-in service on {@code ::1}, never a lab address, and checks their JSON against what it served.
 */
class SimulationRunIT {

    private static final int RATE = 20;
    private static final int DURATION_S = 3;
    private static final int K = 5;

    @TempDir
    Path dir;

    private HttpServer server;
    private ExecutorService handlers;
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong answeredOk = new AtomicLong();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("::1"), 0), 0);
        handlers = Executors.newFixedThreadPool(4);
        server.setExecutor(handlers);
        server.createContext("/work", exchange -> answer(exchange, instance -> "{\"service\":\"a\",\"instance\":\"a-" + instance + "\",\"cost\":1,\"result\":\"00\"}"));
        server.createContext("/chain", exchange -> answer(exchange, instance -> "{\"a\":{\"service\":\"a\",\"instance\":\"a-" + instance
                + "\"},\"b\":{\"service\":\"b\",\"instance\":\"b-" + instance + "\"}}"));
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        handlers.shutdownNow();
    }

    @Test
    void proxyRunCountsEveryAnswerAsTheServerGaveIt() throws Exception {
        JsonNode result = run("Ri1ProxySimulation");

        long requests = result.path("requests").path("ok").asLong() + result.path("requests").path("ko").asLong();
        long sessions = result.path("sessions").path("ok").asLong() + result.path("sessions").path("ko").asLong();
        assertEquals(served.get(), requests, "every request sent is counted, failed ones included");
        assertEquals(answeredOk.get(), result.path("requests").path("ok").asLong(), "OK = 200 with an instance");
        assertEquals(sessions * K, requests, "a session carries on after a failed request");
        assertTrue(result.path("sessions").path("ko").asLong() > 0, "sessions with a failed request are KO");
        // Poisson arrivals: about rate x duration = 60 sessions (standard deviation ~8)
        assertTrue(sessions > 30 && sessions < 90, "sessions: " + sessions);
        assertEquals(answeredOk.get(), result.path("perInstance").path("a-1").asLong() + result.path("perInstance").path("a-2").asLong());
        assertEquals(answeredOk.get(), result.path("latency").path("work").path("count").asLong());
        long perSecond = 0;
        for (JsonNode second : result.path("perSecond")) {
            perSecond += second.path("ok").asLong() + second.path("ko").asLong();
        }
        assertEquals(requests, perSecond);
        assertTrue(Files.exists(htmlReport()), "Gatling's HTML report");
    }

    @Test
    void meshRunCreditsBothInstancesOfEveryChain() throws Exception {
        JsonNode result = run("Ri2MeshSimulation");

        long ok = result.path("requests").path("ok").asLong();
        assertEquals(answeredOk.get(), ok);
        assertEquals(ok, result.path("latency").path("chain").path("count").asLong());
        JsonNode perInstance = result.path("perInstance");
        assertEquals(ok, perInstance.path("a-1").asLong() + perInstance.path("a-2").asLong());
        assertEquals(ok, perInstance.path("b-1").asLong() + perInstance.path("b-2").asLong());
    }

    /**
     * Every 7th request gets a 500, every 11th a 200 without the instance field (both KO for the
     * client); the others alternate between instance 1 and 2.
     */
    private void answer(HttpExchange exchange, IntFunction<String> okBody) throws IOException {
        long n = served.incrementAndGet();
        int status = n % 7 == 0 ? 500 : 200;
        String body = n % 7 == 0 ? "{\"error\":\"boom\",\"message\":\"test\"}"
                : n % 11 == 0 ? "{\"service\":\"a\"}"
                : okBody.apply((int) (n % 2) + 1);
        if (status == 200 && n % 11 != 0) {
            answeredOk.incrementAndGet();
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private JsonNode run(String simulation) throws Exception {
        Path out = dir.resolve("result.json");
        Path log = dir.resolve("gatling.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "-Djava.net.preferIPv6Addresses=true",
                "-Dpeak.entry=http://[::1]:" + server.getAddress().getPort(),
                "-Dpeak.rate=" + RATE,
                "-Dpeak.duration=" + DURATION_S,
                "-Dpeak.k=" + K,
                "-Dpeak.cost=1",
                "-Dpeak.out=" + out,
                "-cp", "target/peak-simulations.jar" + File.pathSeparator + "target/lib/*",
                "io.gatling.app.Gatling",
                "--simulation", "dev.peak.simulations." + simulation,
                "--results-folder", dir.resolve("results").toString()));
        Process gatling = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertTrue(gatling.waitFor(60, TimeUnit.SECONDS), "Gatling still running after 60 s");
        } finally {
            gatling.destroyForcibly();
        }
        assertEquals(0, gatling.exitValue(), () -> "Gatling failed:\n" + readQuietly(log));
        return new ObjectMapper().readTree(out.toFile());
    }

    private Path htmlReport() throws IOException {
        try (Stream<Path> runs = Files.list(dir.resolve("results"))) {
            return runs.findFirst().orElseThrow().resolve("index.html");
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
