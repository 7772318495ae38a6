package dev.peak.simulations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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

import dev.peak.measurement.GeneratorLines;
import dev.peak.measurement.GeneratorReport;
import dev.peak.measurement.LevelCommand;
import dev.peak.measurement.LevelMeasurement;

/**
 * Runs packaged simulations exactly as the driver does (a child JVM, {@code io.gatling.app.Gatling}, orders on its
 * standard input or a schedule) against a stand-in service and a stand-in DNS server on {@code ::1}, never a lab
 * address, and checks what they measured against what was served.
 */
class SimulationRunIT {

    private static final double RATE = 100;
    private static final int K = 5;
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @TempDir
    Path dir;

    private HttpServer server;
    private ExecutorService handlers;
    private DatagramSocket dns;
    private Thread dnsThread;
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong answeredOk = new AtomicLong();
    private final AtomicLong dnsQueries = new AtomicLong();

    @BeforeEach
    void startServers() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("::1"), 0), 0);
        handlers = Executors.newFixedThreadPool(4);
        server.setExecutor(handlers);
        server.createContext("/work", exchange -> answer(exchange, instance -> "{\"service\":\"a\",\"instance\":\"a-" + instance + "\",\"cost\":1,\"result\":\"00\"}"));
        server.createContext("/chain", exchange -> answer(exchange, instance -> "{\"a\":{\"service\":\"a\",\"instance\":\"a-" + instance
                + "\"},\"b\":{\"service\":\"b\",\"instance\":\"b-" + instance + "\"}}"));
        server.start();
        dns = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0));
        dnsThread = new Thread(this::answerDns, "stand-in-dns");
        dnsThread.setDaemon(true);
        dnsThread.start();
    }

    @AfterEach
    void stopServers() {
        server.stop(0);
        handlers.shutdownNow();
        dns.close();
    }

    @Test
    void aScheduledRunMeasuresEveryLevelAndCountsEveryAnswerAsTheServerGaveIt() throws Exception {
        GeneratorReport report = scheduled("Ri1ProxySimulation", entry(),
                List.of(new LevelCommand(0, RATE, 0, 2000), new LevelCommand(1, RATE, 500, 2000)));

        assertEquals(List.of(0, 1), report.levels().stream().map(LevelMeasurement::level).toList());
        long requests = report.levels().stream().mapToLong(l -> l.requests().total()).sum();
        long ok = report.levels().stream().mapToLong(l -> l.requests().ok()).sum();
        assertTrue(requests > 0 && requests <= served.get(), "requests of the windows: " + requests + " of " + served.get());
        assertTrue(ok < requests, "failed answers (500, no instance) are KO");
        for (LevelMeasurement level : report.levels()) {
            assertEquals(level.requests().ok(), level.call("work").count(), "every OK request is timed");
            assertEquals(level.requests().ok(), level.perInstance().values().stream().mapToLong(Long::longValue).sum());
            // Poisson arrivals: about rate / k x window = 40 sessions (standard deviation ~6)
            assertTrue(level.sessionsStarted() > 15 && level.sessionsStarted() < 70, "sessions: " + level.sessionsStarted());
            assertEquals(level.call("work").count(), level.call("transaction").count(), "RI1: a transaction is one call");
        }
        long ticked = report.ticks().stream().mapToLong(t -> t.ok() + t.ko()).sum();
        assertEquals(served.get(), ticked, "the seconds count every request that ended");
    }

    @Test
    void aDriverStepsTheGeneratorLevelByLevelOnItsStandardInput() throws Exception {
        Process gatling = start("Ri2MeshSimulation", entry(), List.of(), true);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(gatling.getInputStream(), StandardCharsets.UTF_8));
             Writer orders = new OutputStreamWriter(gatling.getOutputStream(), StandardCharsets.UTF_8)) {
            List<String> tags = new ArrayList<>();
            LevelMeasurement measured = null;
            String line;
            while ((line = out.readLine()) != null) {
                var tagged = GeneratorLines.parse(line);
                if (tagged.isEmpty()) {
                    continue;
                }
                tags.add(tagged.get().tag());
                if (tagged.get().tag().equals(GeneratorLines.READY)) {
                    orders.write(new LevelCommand(0, RATE, 200, 2000).toLine() + "\n");
                    orders.flush();
                } else if (tagged.get().tag().equals(GeneratorLines.LEVEL)) {
                    measured = JSON.readValue(tagged.get().json(), LevelMeasurement.class);
                    orders.write(LevelCommand.STOP + "\n");
                    orders.flush();
                }
            }
            assertTrue(gatling.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, gatling.exitValue());
            assertTrue(measured != null, "no level measured; lines: " + tags);
            assertEquals(List.of(GeneratorLines.READY, GeneratorLines.WINDOW, GeneratorLines.WINDOW, GeneratorLines.LEVEL),
                    tags.stream().filter(t -> !t.equals(GeneratorLines.TICK)).toList());
            long ok = measured.requests().ok();
            assertEquals(ok, measured.perInstance().entrySet().stream().filter(e -> e.getKey().startsWith("a-"))
                    .mapToLong(Map.Entry::getValue).sum(), "every chain credits its A");
            assertEquals(ok, measured.perInstance().entrySet().stream().filter(e -> e.getKey().startsWith("b-"))
                    .mapToLong(Map.Entry::getValue).sum(), "and its B");
            assertTrue(Files.exists(htmlReport()), "Gatling's HTML report");
        } finally {
            gatling.destroyForcibly();
        }
    }

    @Test
    void peakClientsShareOneResolverButEachSessionAsksPeakDnsOnce() throws Exception {
        GeneratorReport report = scheduled("Ri1PeakSimulation",
                "http://a.peak.test:" + server.getAddress().getPort(), List.of(new LevelCommand(0, RATE, 0, 3000)));

        LevelMeasurement level = report.levels().get(0);
        assertTrue(level.requests().ok() > 0, "the name resolved to the stand-in server through the stand-in DNS");
        long sessions = served.get() / K;
        // every session is its own client with its own cache (TTL 60 s): one query each, not one for all of them,
        // and not one per request
        assertTrue(dnsQueries.get() >= sessions - 1 && dnsQueries.get() <= sessions + 1,
                "queries " + dnsQueries.get() + " for " + sessions + " sessions");
    }

    @Test
    void peakClientLoadMeasuresAsTheSimulationsDo() throws Exception {
        GeneratorReport report = scheduled(PeakClientLoad.class.getSimpleName(),
                "http://a.peak.test:" + server.getAddress().getPort(), List.of(new LevelCommand(0, RATE, 0, 3000)));

        LevelMeasurement level = report.levels().get(0);
        assertTrue(level.requests().ok() > 0 && level.requests().ok() < level.requests().total(),
                "the name resolved through the stand-in DNS, and failed answers (500, no instance) are KO: " + level.requests());
        assertEquals(level.requests().ok(), level.call("work").count(), "every OK request is timed");
        assertEquals(level.requests().ok(), level.perInstance().values().stream().mapToLong(Long::longValue).sum());
        assertEquals(served.get(), report.ticks().stream().mapToLong(t -> t.ok() + t.ko()).sum(),
                "the seconds count every request that ended");
        long sessions = served.get() / K;
        assertTrue(dnsQueries.get() >= sessions - 1 && dnsQueries.get() <= sessions + 1,
                "every session is a client of its own: queries " + dnsQueries.get() + " for " + sessions + " sessions");
    }

    private String entry() {
        return "http://[::1]:" + server.getAddress().getPort();
    }

    private GeneratorReport scheduled(String simulation, String entry, List<LevelCommand> schedule) throws Exception {
        Process gatling = start(simulation, entry, schedule, false);
        Path log = dir.resolve("gatling.log");
        try {
            assertTrue(gatling.waitFor(60, TimeUnit.SECONDS), "Gatling still running after 60 s");
        } finally {
            gatling.destroyForcibly();
        }
        assertEquals(0, gatling.exitValue(), () -> "Gatling failed:\n" + readQuietly(log));
        for (String line : Files.readAllLines(log)) {
            var tagged = GeneratorLines.parse(line);
            if (tagged.isPresent() && tagged.get().tag().equals(GeneratorLines.RESULT)) {
                return JSON.readValue(tagged.get().json(), GeneratorReport.class);
            }
        }
        throw new AssertionError("no result printed:\n" + readQuietly(log));
    }

    private Process start(String simulation, String entry, List<LevelCommand> schedule, boolean steered) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "-Djava.net.preferIPv6Addresses=true",
                "-Dpeak.entry=" + entry,
                "-Dpeak.dns=[::1]:" + dns.getLocalPort(),
                "-Dpeak.maxRate=" + 2 * RATE,
                "-Dpeak.k=" + K,
                "-Dpeak.cost=1",
                "-Dpeak.maxDurationS=50"));
        if (!schedule.isEmpty()) {
            command.add("-Dpeak.schedule=" + String.join(";", schedule.stream().map(LevelCommand::toLine).toList()));
        }
        command.addAll(List.of("-cp", "target/peak-simulations.jar" + File.pathSeparator + "target/lib/*"));
        if (simulation.equals(PeakClientLoad.class.getSimpleName())) {
            command.add(PeakClientLoad.class.getName());
        } else {
            command.addAll(List.of("io.gatling.app.Gatling", "--simulation", "dev.peak.simulations." + simulation,
                    "--results-folder", dir.resolve("results").toString()));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (!steered) {
            builder.redirectOutput(dir.resolve("gatling.log").toFile());
        }
        return builder.start();
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

    /** Answers every AAAA question with ::1, TTL 60 s; counts the questions. */
    private void answerDns() {
        byte[] buffer = new byte[512];
        while (!dns.isClosed()) {
            try {
                DatagramPacket query = new DatagramPacket(buffer, buffer.length);
                dns.receive(query);
                dnsQueries.incrementAndGet();
                byte[] answer = answerAaaa(Arrays.copyOf(query.getData(), query.getLength()));
                dns.send(new DatagramPacket(answer, answer.length, query.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** The query's header and question, flagged as a response with one answer: ::1 for the question's name. */
    static byte[] answerAaaa(byte[] query) throws IOException {
        int end = 12;
        while (query[end] != 0) {
            end += (query[end] & 0xff) + 1;
        }
        end += 5; // the root label, QTYPE, QCLASS
        ByteBuffer out = ByteBuffer.allocate(end + 28);
        out.put(query, 0, end);
        out.put(2, (byte) 0x84).put(3, (byte) 0x00); // QR, AA; NOERROR
        out.putShort(6, (short) 1).putShort(8, (short) 0).putShort(10, (short) 0); // one answer, no authority, no additional
        out.putShort((short) 0xc00c).putShort((short) 28).putShort((short) 1).putInt(60).putShort((short) 16);
        out.put(InetAddress.getByName("::1").getAddress());
        return out.array();
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
