package dev.peak.driver.lab;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.peak.client.PeakClient;
import dev.peak.client.dns.Answer;
import dev.peak.client.dns.NameServers;
import dev.peak.client.token.TokenFlow;
import dev.peak.common.net.Hosts;
import dev.peak.driver.cpu.CpuBudgets;
import dev.peak.driver.cpu.CpuEnforcement;
import dev.peak.driver.cpu.CpuReading;
import dev.peak.driver.lab.proxy.BalancePolicy;
import dev.peak.driver.variant.Component;
import dev.peak.driver.variant.Variant;

/**
 * Every variant brought up with two servers and driven with a plain Java HTTP client. This JVM runs
 * inside its own lab namespace (failsafe's jvm is bin/lab-jvm/bin/java), the only place where lab
 * addresses may be used.
 *
 * <p>One class of about 400 lines because its tests share the namespace and the lookups inside it.
 */
class LabVariantsIT {

    private static final Pattern INSTANCE = Pattern.compile("\"instance\":\"([^\"]+)\"");
    private static final Pattern NOERROR_ANSWERS =
            Pattern.compile("peak_dns_responses_total\\{[^}]*rcode=\"NOERROR\"[^}]*} ([0-9.eE+]+)");
    // HTTP/1.1 as Gatling speaks it; the JDK's default h2c upgrade header would make proxies pin a connection
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration GONE_WITHIN = Duration.ofSeconds(20);
    /** The lab's zone as a URI's host ends: without the root's dot. */
    private static final String ZONE = Hosts.DEFAULT_ZONE.substring(0, Hosts.DEFAULT_ZONE.length() - 1);

    private Lab lab;

    @AfterEach
    void teardownLeavesNothing() throws IOException {
        if (lab == null) {
            return;
        }
        lab.close();
        assertEquals(List.of(), otherLiveProcesses(), "processes left after teardown");
        for (String controller : List.of("cpu", "cpuacct", "cpuset")) {
            assertFalse(Files.exists(CpuControl.CGROUP_ROOT.resolve(controller).resolve(lab.id())),
                    controller + " group left after teardown");
        }
    }

    @Test
    void everyInstancesCpuIsCountedOnTheSystemsCpusApartFromTheGenerators() throws Exception {
        lab = start(Variant.RI1_HAPROXY);
        Map<String, CpuReading> before = lab.cpuUsage();
        for (int i = 0; i < 50; i++) {
            get(lab.entry() + "/work?cost=100");
        }
        Map<String, CpuReading> after = lab.cpuUsage();

        assertEquals(Component.SERVICE_A, after.get("a-1").component());
        assertEquals(Component.PROXY, after.get("haproxy").component());
        assertEquals(Component.GENERATOR, after.get("load").component());
        for (String served : List.of("a-1", "a-2", "haproxy")) {
            assertTrue(after.get(served).sample().usageNanos() > before.get(served).sample().usageNanos(), served);
        }
        CpuPlacement placement = lab.cpu().placement();
        if (lab.cpu().enforcesFractions() && !placement.shared()) {
            Path cpuset = CpuControl.CGROUP_ROOT.resolve("cpuset").resolve(lab.id());
            assertEquals(CpuPlacement.format(placement.system()), Files.readString(cpuset.resolve("a-1/cpuset.cpus")).strip());
            assertEquals(Set.of(), Set.copyOf(placement.system()).stream().filter(placement.generator()::contains)
                    .collect(java.util.stream.Collectors.toSet()), "the generator's CPUs are its own");
        }
    }

    @Test
    void jitCompilersRunOutsideTheInstancesQuota() throws Exception {
        lab = start(Variant.RI1_DIRECT);
        if (!lab.cpu().mechanism().startsWith("cgroup v1")) {
            return; // only a v1 hierarchy places single threads
        }
        Path cpu = CpuControl.CGROUP_ROOT.resolve("cpu").resolve(lab.id());
        Set<String> compilers = new HashSet<>(Arrays.asList(Files.readString(cpu.resolve("jit/tasks")).split("\\s+")));
        Set<String> instanceThreads = new HashSet<>(Arrays.asList(Files.readString(cpu.resolve("a-1/tasks")).split("\\s+")));
        List<Path> a1Compilers = CpuControl.compilerThreads(lab.instances().stream()
                .filter(i -> i.name().equals("a-1")).findFirst().orElseThrow().process());

        assertFalse(a1Compilers.isEmpty(), "a-1 has JIT compiler threads");
        for (Path thread : a1Compilers) {
            String tid = thread.getFileName().toString();
            assertTrue(compilers.contains(tid), "compiler thread " + tid + " is in the lab's compiler group");
            assertFalse(instanceThreads.contains(tid), "compiler thread " + tid + " left a-1's quota");
        }
        assertTrue(instanceThreads.size() > 5, "a-1's other threads stay under its quota: " + instanceThreads);
        assertEquals("-1", Files.readString(cpu.resolve("jit/cpu.cfs_quota_us")).strip(), "the compilers have no quota");
    }

    @Test
    void ri1DirectRunsTheServersAlone() throws Exception {
        lab = start(Variant.RI1_DIRECT);

        assertEquals(List.of("a-1", "a-2"), lab.instances().stream().map(Instance::name).toList());
        assertEquals("a-1", instanceOf(get(lab.entry() + "/work")));
    }

    @Test
    void ri1PeakSpreadsOverBothServersAcrossResolutions() throws Exception {
        lab = start(Variant.RI1_PEAK);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            seen.add(instanceOf(get("http://" + url(resolve("a")) + ":8080/work?cost=1")));
        }
        assertEquals(Set.of("a-1", "a-2"), seen);
    }

    @Test
    void ri1PeakStopsAnsweringWithAKilledServer() throws Exception {
        lab = start(Variant.RI1_PEAK);
        lab.kill("a-2");
        InetAddress survivor = InetAddress.getByName(Addresses.service('a', 1));
        awaitTrue("a-2 leaves peak-dns's answers", () -> {
            for (int i = 0; i < 10; i++) {
                if (!survivor.equals(resolve("a"))) {
                    return false;
                }
            }
            return true;
        });
        assertEquals("a-1", instanceOf(get("http://" + url(resolve("a")) + ":8080/work")));
    }

    @Test
    void ri1PeakClientLeavesAKilledServerAtOnce() throws Exception {
        lab = start(Variant.RI1_PEAK);
        PeakClient client = PeakClient.builder().dns(Addresses.dns(1)).build();
        lab.kill("a-2");
        // before peak-dns's health check has taken a-2 out, half its answers still name it
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> work = client.send(HttpRequest.newBuilder(URI.create(
                    "http://a." + ZONE + ":8080/work?cost=1")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("a-1", instanceOf(body(work)), "request " + i);
        }
    }

    @Test
    void ri1HaproxySpreadsAndDropsAKilledServer() throws Exception {
        lab = start(Variant.RI1_HAPROXY);
        assertSpreadsThenDropsKilledServer();
    }

    @Test
    void ri1NginxSpreadsAndDropsAKilledServer() throws Exception {
        lab = start(Variant.RI1_NGINX);
        assertSpreadsThenDropsKilledServer();
    }

    @Test
    void ri2PeakTokenFromAWorksAtB() throws Exception {
        lab = start(Variant.RI2_PEAK);
        TokenFlow flow = new TokenFlow(PeakClient.builder().dns(Addresses.dns(1)).build(),
                URI.create("http://a." + ZONE + ":8080/token"), "{\"subject\":\"it\",\"cost\":3}", Duration.ofSeconds(5));
        HttpResponse<String> work = flow.get(URI.create("http://b." + ZONE + ":8080/work"));
        assertEquals(200, work.statusCode(), work.body());
        assertTrue(work.body().contains("\"service\":\"b\"") && work.body().contains("\"cost\":3"), work.body());
    }

    @Test
    void ri2MeshChainCrossesMutualTls() throws Exception {
        lab = start(Variant.RI2_MESH);
        String chain = get(lab.entry() + "/chain?cost=2");
        assertTrue(chain.matches("(?s)\\{\"a\":\\{.*\"service\":\"a\".*\\},\"b\":\\{.*\"service\":\"b\".*\\}\\}"), chain);
        // B's sidecar speaks only mutual TLS: a plain-text client gets no answer from it
        URI plain = URI.create("http://" + Hosts.inUrl(Addresses.service('b', 1)) + ":15006/internal/work?cost=1");
        assertThrows(IOException.class, () -> HTTP.send(HttpRequest.newBuilder(plain).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void requestCountsComeFromEachServer() throws Exception {
        lab = start(Variant.RI1_HAPROXY);
        for (int i = 0; i < 10; i++) {
            get(lab.entry() + "/work");
        }
        Map<String, Long> counts = RequestCounts.of(lab);
        assertEquals(10, counts.values().stream().mapToLong(Long::longValue).sum(), counts.toString());
    }

    @Test
    void scaleShRunsTheCommandInsideAndLeavesNothing() throws Exception {
        Path root = LabCommand.projectRoot();
        Process process = new ProcessBuilder(root.resolve("loadtests/scale.sh").toString(), "lab", "--variant", "ri1-peak",
                "--servers", "1", "--", "getent", "ahosts", "a.peak.test")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), output);
        // the table, then glibc resolving through peak-dns inside the lab
        assertTrue(output.contains("a-1") && output.contains("CPU budgets: "), output);
        assertTrue(output.contains(Addresses.service('a', 1) + " "), output);
        assertEquals(List.of(), otherLiveProcesses());
    }

    @Test
    void scaleToAddsAndRemovesServersInTheMesh() throws Exception {
        lab = start(Variant.RI2_MESH, 1, 1, Duration.ofSeconds(120));
        lab.scaleTo(2);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            String chain = get(lab.entry() + "/chain?cost=1");
            Matcher m = INSTANCE.matcher(chain);
            while (m.find()) {
                seen.add(m.group(1));
            }
        }
        assertEquals(Set.of("a-1", "a-2", "b-1", "b-2"), seen);
        lab.scaleTo(1);
        assertEquals(List.of("b-1", "sidecar-b-1", "a-1", "sidecar-a-1", "ingress"),
                lab.instances().stream().map(Instance::name).toList());
        assertTrue(get(lab.entry() + "/chain?cost=1").contains("\"b-1\""));
        // the addresses of the servers removed are theirs again
        lab.scaleTo(2);
        assertEquals(2 * 4 + 1, lab.instances().size());
    }

    @Test
    void aKilledDnsReplicaLeavesTheOtherAnswering() throws Exception {
        lab = start(Variant.RI1_PEAK, 1, 2, Duration.ofSeconds(120));
        lab.killDnsReplica(1);
        // glibc (through the lab's resolv.conf, as curl and Java clients resolve) moves on to replica 2
        InetAddress expected = InetAddress.getByName(Addresses.service('a', 1));
        assertEquals(List.of(expected), List.of(InetAddress.getAllByName("a.peak.test")));
    }

    @Test
    void warmingDnsHasEveryReplicaAnswerTheNamesItsClientsAsk() throws Exception {
        lab = start(Variant.RI2_PEAK, 1, 2, Duration.ofSeconds(120));

        lab.warmDns();

        for (int replica = 1; replica <= 2; replica++) {
            String metrics = get("http://" + url(InetAddress.getByName(Addresses.dns(replica))) + ":"
                    + Addresses.DNS_ADMIN_PORT + "/q/metrics");
            Matcher answered = NOERROR_ANSWERS.matcher(metrics);
            assertTrue(answered.find(), metrics);
            assertTrue(Double.parseDouble(answered.group(1)) >= DnsWarmUp.QUERIES, "peak-dns-" + replica + " answered "
                    + answered.group(1));
            assertTrue(metrics.contains("service=\"b\""), "B's name was asked too");
        }
    }

    @Test
    void aLabThatCannotGetReadyLeavesNothing() {
        LabException e = assertThrows(LabException.class,
                () -> lab = start(Variant.RI1_HAPROXY, 1, 1, Duration.ofMillis(1)));
        assertTrue(e.getMessage().contains("not ready in time"), e.getMessage());
        assertTrue(lab == null);
        assertEquals(List.of(), assertDoesNotThrow(LabVariantsIT::otherLiveProcesses));
    }

    @Test
    void sigtermToScaleShTearsTheLabDown() throws Exception {
        Process process = new ProcessBuilder(LabCommand.projectRoot().resolve("loadtests/scale.sh").toString(), "lab",
                "--variant", "ri1-nginx", "--servers", "1").redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream()))) {
            String line;
            while ((line = lines.readLine()) != null && !line.contains("The lab is up")) {
                output.append(line).append('\n');
            }
            assertTrue(line != null, output.toString());
            process.destroy();
            assertTrue(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "scale.sh still runs after SIGTERM");
        }
        assertEquals(List.of(), otherLiveProcesses());
    }

    private void assertSpreadsThenDropsKilledServer() throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            seen.add(instanceOf(get(lab.entry() + "/work?cost=1")));
        }
        assertEquals(Set.of("a-1", "a-2"), seen);
        lab.kill("a-1");
        awaitTrue("a-1 leaves the rotation", () -> {
            for (int i = 0; i < 10; i++) {
                Optional<String> instance = tryGet(lab.entry() + "/work").map(LabVariantsIT::instanceOf);
                if (!instance.equals(Optional.of("a-2"))) {
                    return false;
                }
            }
            return true;
        });
    }

    private static Lab start(Variant variant) throws IOException {
        return start(variant, 2, 1, Duration.ofSeconds(120));
    }

    private static Lab start(Variant variant, int servers, int dnsReplicas, Duration readyTimeout) throws IOException {
        Path root = LabCommand.projectRoot();
        return Lab.start(new LabOptions(variant, servers, CpuBudgets.DEFAULT,
                new CpuEnforcement(Duration.ofMillis(100), 1.0), dnsReplicas, Duration.ofSeconds(1),
                BalancePolicy.ROUND_ROBIN, Optional.empty(), readyTimeout, root,
                // deeper than a Unix socket path may be long: the lab must not put HAProxy's socket there
                Files.createTempDirectory(Files.createDirectories(root.resolve(
                        "loadtests/driver/target/lab-it/a-work-dir-deeper-than-the-107-bytes-a-unix-socket-path-may-have")),
                        variant.id() + "-"), Map.of()), System.out);
    }

    /** One lookup at peak-dns, as a PEAK client does per virtual user: the address it is given. */
    private static InetAddress resolve(String service) {
        try {
            Answer answer = PeakClient.await(NameServers.parse(Addresses.dns(1), Duration.ofSeconds(1))
                    .query(service + "." + ZONE));
            assertEquals(1, answer.addresses().size(), "peak-dns answered " + answer);
            return answer.addresses().get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String url(InetAddress address) {
        return "[" + address.getHostAddress() + "]";
    }

    private static String get(String url) throws IOException, InterruptedException {
        return body(HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private static Optional<String> tryGet(String url) {
        try {
            return Optional.of(get(url));
        } catch (IOException | AssertionError e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String body(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.uri() + ": " + response.body());
        return response.body();
    }

    private static String instanceOf(String body) {
        Matcher m = INSTANCE.matcher(body);
        assertTrue(m.find(), body);
        return m.group(1);
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + GONE_WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " did not happen within " + GONE_WITHIN.toSeconds() + " s");
            Thread.sleep(250);
        }
    }

    /** Running processes in this JVM's PID namespace other than the JVM itself (zombies are dead already). */
    private static List<String> otherLiveProcesses() throws IOException {
        long self = ProcessHandle.current().pid();
        List<String> live = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                if (Long.parseLong(proc.getFileName().toString()) == self) {
                    continue;
                }
                try {
                    String stat = Files.readString(proc.resolve("stat"));
                    String state = stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
                    if (!state.equals("Z")) {
                        live.add(stat.substring(0, stat.lastIndexOf(')') + 1));
                    }
                } catch (IOException e) {
                    // it ended while we looked
                }
            }
        }
        return live;
    }
}
