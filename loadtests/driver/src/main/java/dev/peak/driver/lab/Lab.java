package dev.peak.driver.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.nimbusds.jose.jwk.JWKSet;

import dev.peak.common.keys.KeySetGenerator;
import dev.peak.driver.experiment.CpuReading;
import dev.peak.driver.experiment.SystemUnderTest;
import dev.peak.driver.variant.Variant;
import dev.peak.driver.lab.proxy.Balance;
import dev.peak.driver.lab.proxy.HaproxyConfig;
import dev.peak.driver.lab.proxy.Listen;
import dev.peak.driver.lab.proxy.MeshCertificates;
import dev.peak.driver.lab.proxy.MeshConfig;
import dev.peak.driver.lab.proxy.NginxConfig;
import dev.peak.driver.lab.proxy.Upstream;

/**
 * One variant running in the lab namespace: its servers, its load balancer (peak-dns, a proxy or the
 * mesh) and the operations the experiment driver needs (scale, kill, count). {@link #close()} ends
 * every process it started and removes its CPU groups; it also runs on JVM shutdown (Ctrl-C).
 */
public final class Lab implements SystemUnderTest {

    public static final String ZONE = "peak.test.";
    /** The CPU group of the load generator (CMD). */
    static final String LOAD_GROUP = "load";
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Pattern REQUEST_COUNT = Pattern.compile(
            "(?m)^http_server_requests_seconds_count\\{([^}]*)\\} (\\S+)$");
    private static final Pattern URI_LABEL = Pattern.compile("uri=\"([^\"]*)\"");

    private final String id;
    private final LabOptions options;
    private final LabNamespace namespace;
    private final CpuControl cpu;
    private final Path workDir;
    private final Path keys;
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    /** HAProxy processes (RI1 proxy, ingress, sidecars) by name → where their stats socket is. */
    private final Map<String, Path> haproxyRunDirs = new LinkedHashMap<>();
    private final Thread shutdownHook = new Thread(this::close, "lab-teardown");
    /** HAProxy's longest accepted Unix socket path. */
    private static final int MAX_SOCKET_PATH = 97;

    private MeshCertificates certificates;
    private Path runtimeRoot;
    private int servers;
    private boolean closed;

    private Lab(String id, LabOptions options, LabNamespace namespace, CpuControl cpu) {
        this.id = id;
        this.options = options;
        this.namespace = namespace;
        this.cpu = cpu;
        this.workDir = options.workDir();
        this.keys = workDir.resolve("keys");
    }

    /** Brings {@code options.variant()} up and returns once every instance and the entry answer. */
    public static Lab start(LabOptions options, PrintStream progress) {
        LabNamespace namespace = LabNamespace.enter();
        Artifacts.check(options);
        String labId = CpuControl.labId();
        Lab lab = new Lab(labId, options, namespace, CpuControl.detect(labId, options.enforcement(),
                CpuPlacement.split(CpuPlacement.allowedCpus(), options.budgets().load())));
        Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        try {
            lab.bringUp(progress);
            return lab;
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    private void bringUp(PrintStream progress) {
        Variant variant = options.variant();
        try {
            Files.createDirectories(workDir.resolve("logs"));
            KeySetGenerator.write(new JWKSet(KeySetGenerator.ALGORITHMS.stream()
                    .map(alg -> KeySetGenerator.generate(alg, alg.toLowerCase(Locale.ROOT) + "-1")).toList()), keys);
        } catch (IOException e) {
            throw new LabException("cannot prepare " + workDir + ": " + e.getMessage(), e);
        }
        options.delay().ifPresent(namespace::delay);
        progress.printf("Starting %s with %d server(s) in %s%n", variant, options.servers(), workDir);
        if (variant.entry() == Variant.Entry.MESH) {
            certificates = MeshCertificates.generate(workDir.resolve("mesh-certs"),
                    List.of(MeshIdentity.INGRESS, MeshIdentity.A, MeshIdentity.B));
        }
        if (variant.entry() == Variant.Entry.HAPROXY || variant.entry() == Variant.Entry.NGINX
                || variant.entry() == Variant.Entry.MESH) {
            namespace.addAddress(Addresses.ENTRY);
        }
        scaleServers(options.servers());
        switch (variant.entry()) {
            case DNS -> {
                writeZone();
                for (int r = 1; r <= options.dnsReplicas(); r++) {
                    startDns(r);
                }
            }
            case HAPROXY, NGINX -> startReverseProxy();
            case MESH -> startIngress();
            case DIRECT -> { }
        }
        awaitReady();
    }

    // ---- what the variants start ------------------------------------------------------------------

    private void scaleServers(int target) {
        boolean mesh = options.variant().entry() == Variant.Entry.MESH;
        int previous = servers;
        servers = target; // new A sidecars route to every B of the target count
        for (int i = previous + 1; i <= target; i++) {
            if (options.variant().withB()) {
                startB(i);
                if (mesh) {
                    startSidecar('b', i);
                }
            }
            startA(i);
            if (mesh) {
                startSidecar('a', i);
            }
        }
        for (int i = previous; i > target; i--) {
            for (String name : List.of("sidecar-a-" + i, "a-" + i, "sidecar-b-" + i, "b-" + i)) {
                Instance gone = instances.remove(name);
                haproxyRunDirs.remove(name);
                if (gone != null) {
                    gone.stop(STOP_GRACE);
                }
            }
        }
    }

    private void startA(int i) {
        String address = Addresses.service('a', i);
        namespace.addAddress(address);
        Map<String, String> props = new LinkedHashMap<>(serviceProperties("a-" + i, address));
        props.put("smallrye.jwt.sign.key.location", keys.resolve(KeySetGenerator.PRIVATE_SET).toString());
        if (options.variant().entry() == Variant.Entry.MESH) {
            // A's outbound call to B leaves through its own sidecar, as iptables capture makes it in Istio
            props.put("peak.b.url", "http://" + Addresses.inUrl(address) + ":" + MeshConfig.OUTBOUND_PORT);
        }
        launch("a-" + i, Component.SERVICE_A, address, Addresses.SERVICE_PORT, Artifacts.Application.SERVICE_A, props);
    }

    private void startB(int i) {
        String address = Addresses.service('b', i);
        namespace.addAddress(address);
        Map<String, String> props = new LinkedHashMap<>(serviceProperties("b-" + i, address));
        props.put("mp.jwt.verify.publickey.location", keys.resolve(KeySetGenerator.PUBLIC_SET).toString());
        // B's internal endpoint exists only behind the mesh, whose sidecar admits only A's identity
        props.put("peak.b.internal.enabled", Boolean.toString(options.variant().entry() == Variant.Entry.MESH));
        launch("b-" + i, Component.SERVICE_B, address, Addresses.SERVICE_PORT, Artifacts.Application.SERVICE_B, props);
    }

    private Map<String, String> serviceProperties(String name, String address) {
        return Map.of("quarkus.http.host", address,
                "quarkus.http.port", Integer.toString(Addresses.SERVICE_PORT),
                "peak.instance.id", name);
    }

    private void startDns(int replica) {
        String address = Addresses.dns(replica);
        namespace.addAddress(address);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("peak.dns.host", address);
        props.put("peak.dns.port", Integer.toString(Addresses.DNS_PORT));
        props.put("peak.dns.zone", ZONE);
        props.put("peak.dns.static.file", zoneFile().toString());
        props.put("quarkus.http.host", address);
        props.put("quarkus.http.port", Integer.toString(Addresses.DNS_ADMIN_PORT));
        launch("peak-dns-" + replica, Component.PEAK_DNS, address, Addresses.DNS_PORT, Artifacts.Application.PEAK_DNS, props);
    }

    private Path zoneFile() {
        return workDir.resolve("peak-dns").resolve("services.yaml");
    }

    /** peak-dns's static discovery file; written whole and renamed, so a reload never sees half of it. */
    private void writeZone() {
        String policy = options.balance() == Balance.LEAST_CONNECTIONS ? "least-loaded" : "round-robin";
        StringBuilder yaml = new StringBuilder()
                .append("# Written by the lab for ").append(options.variant()).append("; peak-dns reloads it on change.\n")
                .append("zone: ").append(ZONE).append('\n')
                .append("ttl: ").append(options.dnsTtl().toSeconds()).append('\n')
                .append("services:\n");
        for (char service : options.variant().withB() ? new char[]{'a', 'b'} : new char[]{'a'}) {
            yaml.append("  ").append(service).append(":\n")
                    .append("    policy: ").append(policy).append('\n')
                    .append("    answer-size: 1\n")
                    .append("    port: ").append(Addresses.SERVICE_PORT).append('\n')
                    .append("    health: {path: ").append(HealthChecks.PATH)
                    .append(", interval: ").append(HealthChecks.INTERVAL.toMillis()).append("ms")
                    .append(", timeout: ").append(HealthChecks.TIMEOUT.toMillis()).append("ms")
                    .append(", rise: ").append(HealthChecks.RISE)
                    .append(", fall: ").append(HealthChecks.FALL).append("}\n")
                    .append("    endpoints: [")
                    .append(serverAddresses(service).stream().map(a -> '"' + a + '"').collect(Collectors.joining(", ")))
                    .append("]\n");
        }
        writeAtomically(zoneFile(), yaml.toString());
    }

    private void startReverseProxy() {
        Path config = writeReverseProxyConfig();
        if (options.variant().entry() == Variant.Entry.HAPROXY) {
            launchProxy("haproxy", Component.PROXY, Addresses.ENTRY, Addresses.SERVICE_PORT,
                    List.of("haproxy", "-W", "-db", "-f", config.toString()));
        } else {
            // -e: nginx opens its error log before reading the config; the default path is not ours
            launchProxy("nginx", Component.PROXY, Addresses.ENTRY, Addresses.SERVICE_PORT, List.of("nginx", "-p",
                    config.getParent().toString(), "-c", config.toString(), "-e", "stderr"));
        }
    }

    /** The RI1 proxy's config for the servers running now. */
    private Path writeReverseProxyConfig() {
        Path dir = configDir("proxy");
        Listen listen = new Listen(Addresses.ENTRY, Addresses.SERVICE_PORT);
        int threads = options.budgets().processors(Role.PROXY);
        List<Upstream> upstreams = upstreams('a', Addresses.SERVICE_PORT);
        if (options.variant().entry() == Variant.Entry.HAPROXY) {
            return writeAtomically(dir.resolve("haproxy.cfg"),
                    HaproxyConfig.reverseProxy(listen, upstreams, options.balance(), threads, haproxyRuntime("haproxy")));
        }
        return writeAtomically(dir.resolve("nginx.conf"),
                NginxConfig.reverseProxy(listen, upstreams, options.balance(), threads, dir));
    }

    private void startIngress() {
        Path config = writeIngressConfig();
        launchProxy("ingress", Component.INGRESS, Addresses.ENTRY, Addresses.SERVICE_PORT,
                List.of("haproxy", "-W", "-db", "-f", config.toString()));
    }

    /** The mesh ingress's config for A's sidecars running now. */
    private Path writeIngressConfig() {
        return writeAtomically(configDir("ingress").resolve("haproxy.cfg"), MeshConfig.ingress(new Listen(Addresses.ENTRY,
                Addresses.SERVICE_PORT), upstreams('a', MeshConfig.INBOUND_PORT), certificates,
                options.budgets().processors(Role.PROXY), haproxyRuntime("ingress")));
    }

    private void startSidecar(char service, int i) {
        String name = "sidecar-" + service + "-" + i;
        String address = Addresses.service(service, i);
        Path config = writeAtomically(configDir(name).resolve("haproxy.cfg"),
                sidecarConfig(service, address, haproxyRuntime(name)));
        launchProxy(name, Component.SIDECAR, address, MeshConfig.INBOUND_PORT,
                List.of("haproxy", "-W", "-db", "-f", config.toString()));
    }

    private String sidecarConfig(char service, String address, Path runDir) {
        int threads = options.budgets().processors(Role.PROXY);
        if (service == 'a') {
            return MeshConfig.sidecar(MeshIdentity.A, address, Addresses.SERVICE_PORT, List.of(), MeshIdentity.B,
                    upstreams('b', MeshConfig.INBOUND_PORT), certificates, threads, runDir);
        }
        // Like the mesh's AuthorizationPolicy: only A's identity may call B's internal endpoint
        return MeshConfig.sidecar(MeshIdentity.B, address, Addresses.SERVICE_PORT, List.of(MeshIdentity.A), null,
                List.of(), certificates, threads, runDir);
    }

    private List<Upstream> upstreams(char service, int port) {
        List<Upstream> upstreams = new ArrayList<>();
        for (int i = 1; i <= servers; i++) {
            upstreams.add(new Upstream(service + "-" + i, Addresses.service(service, i), port));
        }
        return upstreams;
    }

    private List<String> serverAddresses(char service) {
        return upstreams(service, Addresses.SERVICE_PORT).stream().map(Upstream::address).toList();
    }

    /** Where an instance's config is kept, beside its log, for whoever wants to read it afterwards. */
    private Path configDir(String name) {
        try {
            return Files.createDirectories(workDir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Where an HAProxy process keeps its pidfile and stats socket: a short path under the temp directory, as
     * a Unix socket's path may not be longer than 107 bytes (HAProxy: 97), which a deep work dir exceeds.
     */
    private Path haproxyRuntime(String name) {
        try {
            if (runtimeRoot == null) {
                runtimeRoot = Files.createTempDirectory("peak-lab-");
            }
            Path dir = Files.createDirectories(runtimeRoot.resolve(name));
            String socket = dir.resolve(HaproxyConfig.STATS_SOCKET).toString();
            if (socket.length() > MAX_SOCKET_PATH) {
                throw new LabException("the stats socket path " + socket + " is longer than HAProxy accepts ("
                        + MAX_SOCKET_PATH + "): point TMPDIR (java.io.tmpdir) at a shorter directory");
            }
            haproxyRunDirs.put(name, dir);
            return dir;
        } catch (IOException e) {
            throw new LabException("cannot create a runtime directory for " + name + ": " + e.getMessage(), e);
        }
    }

    private void launch(String name, Component component, String address, int port, Artifacts.Application app,
                        Map<String, String> props) {
        start(name, component, address, port,
                Artifacts.command(options.projectRoot(), app, options.budgets().processors(component.role()), props,
                        workDir.resolve("logs").resolve(name + ".gc.log")));
    }

    private void launchProxy(String name, Component component, String address, int port, List<String> command) {
        start(name, component, address, port, command);
    }

    private void start(String name, Component component, String address, int port, List<String> command) {
        Role role = component.role();
        double cpus = options.budgets().of(role);
        Instance instance = Instance.start(name, component, address, port, cpus, cpu.describe(role, cpus),
                cpu.wrap(name, role, cpus, command), Map.of(), workDir, workDir.resolve("logs").resolve(name + ".log"));
        instances.put(name, instance);
        // a JVM under a fifth of a CPU takes many seconds to start: every instance starts free, and gets its budget
        // once the lab is ready (awaitReady)
        cpu.lift(name);
    }

    // ---- readiness ----------------------------------------------------------------------------------

    private void awaitReady() {
        long deadline = System.nanoTime() + options.readyTimeout().toNanos();
        for (Instance instance : instances.values()) {
            if (instance.role() == Role.PROXY) {
                continue; // proxies are ready when the entry answers through them
            }
            int port = instance.role() == Role.DNS ? Addresses.DNS_ADMIN_PORT : instance.port();
            URI ready = URI.create("http://" + Addresses.inUrl(instance.address()) + ":" + port + HealthChecks.PATH);
            Await.until(instance.name(), deadline, () -> Http.ok(ready), () -> !instance.alive(),
                    () -> "see " + instance.log() + "\n" + instance.logTail(15));
        }
        for (URI check : entryChecks()) {
            Await.until("the entry " + check, deadline, () -> Http.ok(check), this::anyDied, this::proxyLogs);
        }
        Await.until("every server in the load balancers' rotation", deadline, () -> outOfRotation().isEmpty(),
                this::anyDied, () -> "still out: " + outOfRotation());
        restoreBudgets(options.enforcement());
    }

    /**
     * Live servers some load balancer does not send traffic to yet, as it reports them itself: peak-dns's
     * endpoint health, HAProxy's server status (proxy, ingress, sidecars). nginx has no such state.
     */
    private List<String> outOfRotation() {
        Set<String> dead = instances.values().stream().filter(i -> i.role() == Role.SERVER && !i.alive())
                .flatMap(i -> Stream.of(i.name(), i.address())).collect(Collectors.toSet());
        List<String> out = new ArrayList<>();
        for (Instance lb : instances.values()) {
            if (!lb.alive()) {
                continue;
            }
            List<String> notUp = lb.role() == Role.DNS ? Rotation.notUpAtPeakDns(lb.address())
                    : haproxyRunDirs.containsKey(lb.name())
                    ? Rotation.notUpAtHaproxy(haproxyRunDirs.get(lb.name()).resolve(HaproxyConfig.STATS_SOCKET))
                    : List.of();
            if (notUp == null) {
                out.add(lb.name() + " does not answer");
            } else {
                notUp.stream().filter(e -> dead.stream().noneMatch(e::contains)).map(e -> lb.name() + ": " + e)
                        .forEach(out::add);
            }
        }
        return out;
    }

    /** What must answer 200 before the lab is ready: the whole path a client takes. */
    private List<URI> entryChecks() {
        List<URI> checks = new ArrayList<>();
        checks.add(URI.create(entry() + HealthChecks.PATH));
        if (options.variant() == Variant.RI2_PEAK) {
            checks.add(URI.create(entryB().orElseThrow() + HealthChecks.PATH));
        }
        if (options.variant().entry() == Variant.Entry.MESH) {
            for (int i = 1; i <= servers; i++) {
                checks.add(URI.create("http://" + Addresses.inUrl(Addresses.service('a', i)) + ":"
                        + MeshConfig.OUTBOUND_PORT + HealthChecks.PATH));
            }
            checks.add(URI.create(entry() + "/chain?cost=0"));
        }
        return checks;
    }

    private boolean anyDied() {
        return instances.values().stream().anyMatch(i -> !i.alive());
    }

    private String proxyLogs() {
        return instances.values().stream().filter(i -> i.role() != Role.SERVER)
                .map(i -> i.name() + (i.alive() ? "" : " (exited)") + ": " + i.log() + "\n" + i.logTail(8))
                .collect(Collectors.joining("\n"));
    }

    // ---- what the driver and CMD see -------------------------------------------------------------------

    /** Base URL of the variant's entry: the name peak-dns resolves, the proxy / mesh ingress, or A's first instance. */
    public String entry() {
        return switch (options.variant().entry()) {
            case DNS -> byName('a');
            case DIRECT -> "http://" + Addresses.inUrl(Addresses.service('a', 1)) + ":" + Addresses.SERVICE_PORT;
            case HAPROXY, NGINX, MESH -> "http://" + Addresses.inUrl(Addresses.ENTRY) + ":" + Addresses.SERVICE_PORT;
        };
    }

    /** RI2 through PEAK: B's base URL, also a name peak-dns resolves. */
    public Optional<String> entryB() {
        return options.variant() == Variant.RI2_PEAK ? Optional.of(byName('b')) : Optional.empty();
    }

    /** A service's base URL by the name peak-dns answers for it, e.g. http://a.peak.test:8080. */
    private static String byName(char service) {
        return "http://" + service + "." + ZONE.substring(0, ZONE.length() - 1) + ":" + Addresses.SERVICE_PORT;
    }

    /** Names this lab's CPU groups. */
    public String id() {
        return id;
    }

    public LabOptions options() {
        return options;
    }

    @Override
    public int servers() {
        return servers;
    }

    public CpuControl cpu() {
        return cpu;
    }

    /** Every process, in start order. */
    public List<Instance> instances() {
        return List.copyOf(instances.values());
    }

    public Instance instance(String name) {
        Instance instance = instances.get(name);
        if (instance == null) {
            throw new IllegalArgumentException("no instance " + name + " in this lab: " + instances.keySet());
        }
        return instance;
    }

    /** The environment CMD runs with (docs/architecture.md: The local lab). */
    @Override
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PEAK_VARIANT", options.variant().id());
        env.put("PEAK_SERVERS", Integer.toString(servers));
        env.put("PEAK_ZONE", ZONE);
        if (options.variant().usesDns()) {
            env.put("PEAK_DNS", Addresses.dns(1));
            env.put("PEAK_DNS_SERVERS", dnsReplicas().stream().map(Instance::address).collect(Collectors.joining(" ")));
        }
        env.put("PEAK_ENTRY", entry());
        entryB().ifPresent(b -> env.put("PEAK_ENTRY_B", b));
        env.put("PEAK_INSTANCES", instances.values().stream().filter(i -> i.role() == Role.SERVER)
                .map(i -> i.name() + "=" + i.address()).collect(Collectors.joining(" ")));
        env.put("PEAK_LOAD_CPUS", Double.toString(options.budgets().load()));
        env.put("PEAK_LAB_DIR", workDir.toString());
        return env;
    }

    /** The start-up table: what runs where, with which CPU budget, enforced how. */
    public String table() {
        StringBuilder table = new StringBuilder(String.format("%-14s %-7s %-22s %-6s %-5s %-36s %s%n",
                "INSTANCE", "ROLE", "ADDRESS", "PORT", "CPUS", "ENFORCED", "PID"));
        for (Instance i : instances.values()) {
            table.append(String.format("%-14s %-7s %-22s %-6d %-5.2f %-36s %d%n", i.name(),
                    i.role().name().toLowerCase(Locale.ROOT), i.address(), i.port(), i.cpus(), i.enforcement(), i.pid()));
        }
        double load = options.budgets().load();
        table.append(String.format("%-14s %-7s %-22s %-6s %-5.2f %-36s%n", "load", "load", "(any)", "", load,
                cpu.describe(Role.LOAD, load)));
        table.append("CPU budgets: ").append(cpu.mechanism()).append('\n');
        double system = options.budgets().system(options.variant(), servers, options.dnsReplicas());
        table.append(String.format(Locale.ROOT, "The system's budgets add up to %.2f CPUs on %d CPU(s) of its own%s%n", system,
                cpu.placement().system().size(), system > cpu.placement().system().size() + 1e-9
                        ? ": more than it has, so some budgets cannot be granted at once" : ""));
        options.delay().ifPresent(d -> table.append("Delay: ").append(d.toNanos() / 1000)
                .append(" us per packet on lo (tc netem)\n"));
        return table.toString();
    }

    /** Wraps {@code command} in the load generator's CPU budget. */
    @Override
    public List<String> asLoad(List<String> command) {
        return cpu.wrap(LOAD_GROUP, Role.LOAD, options.budgets().load(), command);
    }

    // ---- operations for the driver --------------------------------------------------------------------

    /** Runs {@code target} instances of each service and points the load balancer at exactly them. */
    @Override
    public void scaleTo(int target) {
        if (target < 1 || target > LabOptions.MAX_SERVERS) {
            throw new IllegalArgumentException("cannot scale to " + target + " servers");
        }
        int previous = servers;
        scaleServers(target);
        switch (options.variant().entry()) {
            case DNS -> writeZone();
            case DIRECT -> { }
            case HAPROXY -> {
                writeReverseProxyConfig();
                signal("haproxy", "USR2");
            }
            case NGINX -> {
                writeReverseProxyConfig();
                signal("nginx", "HUP");
            }
            case MESH -> {
                writeIngressConfig();
                signal("ingress", "USR2");
                // sidecars started just now read the new peers already, and a reload signal that reached
                // them before HAProxy installed its handler would kill them
                for (int i = 1; i <= Math.min(previous, target); i++) {
                    String sidecar = "sidecar-a-" + i;
                    writeAtomically(configDir(sidecar).resolve("haproxy.cfg"),
                            sidecarConfig('a', Addresses.service('a', i), haproxyRuntime(sidecar)));
                    signal("sidecar-a-" + i, "USR2");
                }
            }
        }
        awaitReady();
    }

    /** SIGKILL to one instance (e.g. "a-2"): a crash, which the load balancer must notice by itself. */
    @Override
    public void kill(String name) {
        instance(name).kill();
    }

    /** Kills the RI1 proxy or the mesh ingress. */
    @Override
    public void killProxy() {
        kill(switch (options.variant().entry()) {
            case HAPROXY -> "haproxy";
            case NGINX -> "nginx";
            case MESH -> "ingress";
            case DNS, DIRECT -> throw new IllegalStateException(options.variant() + " has no proxy");
        });
    }

    /** Kills peak-dns replica {@code replica} (1-based) of a PEAK variant. */
    @Override
    public void killDnsReplica(int replica) {
        if (!options.variant().usesDns()) {
            throw new IllegalStateException(options.variant() + " runs no peak-dns");
        }
        kill("peak-dns-" + replica);
    }

    private List<Instance> dnsReplicas() {
        return instances.values().stream().filter(i -> i.role() == Role.DNS).toList();
    }

    /**
     * Requests each live server instance has answered, from its own metrics (health and metric
     * scrapes under /q/ excluded): the balance figures.
     */
    public Map<String, Long> requestCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Instance i : instances.values()) {
            if (i.role() != Role.SERVER || !i.alive()) {
                continue;
            }
            HttpResponse<String> metrics = Http.get(URI.create(
                    "http://" + Addresses.inUrl(i.address()) + ":" + i.port() + "/q/metrics"));
            if (metrics != null && metrics.statusCode() == 200) {
                counts.put(i.name(), requestsServed(metrics.body()));
            }
        }
        return counts;
    }

    /**
     * Every instance's CPU counters now, and the load generator's under {@value #LOAD_GROUP}; instances that
     * were stopped count until they stopped.
     */
    @Override
    public Map<String, CpuReading> cpuUsage() {
        Map<String, CpuReading> usage = new LinkedHashMap<>();
        for (Instance i : instances.values()) {
            usage.put(i.name(), new CpuReading(i.component(), cpu.sample(i.name(), i.process())));
        }
        usage.put(LOAD_GROUP, new CpuReading(Component.GENERATOR, cpu.sample(LOAD_GROUP, null)));
        return usage;
    }

    /** Has every live peak-dns replica answer {@value DnsWarmUp#QUERIES} queries for the names its clients ask. */
    @Override
    public void warmDns() {
        if (!options.variant().usesDns()) {
            return;
        }
        List<String> names = Stream.concat(Stream.of('a'), entryB().map(b -> 'b').stream())
                .map(service -> service + "." + ZONE).toList();
        for (Instance replica : dnsReplicas()) {
            if (replica.alive()) {
                DnsWarmUp.ask(replica.name(), new InetSocketAddress(replica.address(), replica.port()), names,
                        DnsWarmUp.QUERIES);
            }
        }
    }

    /** What the JIT compiler threads of each instance's JVM have used (a stopped instance's no longer count). */
    @Override
    public Map<String, Long> compilerNanos() {
        Map<String, Long> nanos = new LinkedHashMap<>();
        instances.forEach((name, instance) -> {
            if (instance.alive()) {
                nanos.put(name, CpuControl.compilerThreadNanos(instance.process()));
            }
        });
        return nanos;
    }

    /** Lets every instance of the system run without its quota (a warm-up), until {@link #restoreBudgets}. */
    @Override
    public void liftBudgets() {
        instances.keySet().forEach(cpu::lift);
    }

    /** Puts every instance's budget back, enforced as {@code enforcement} says, its JIT compilers outside it. */
    @Override
    public void restoreBudgets(CpuEnforcement enforcement) {
        instances.keySet().forEach(name -> cpu.restore(name, enforcement));
        instances.values().stream().filter(Instance::alive).forEach(i -> cpu.exemptCompilers(i.process()));
    }

    /** Sums Micrometer's per-endpoint request counters, leaving out Quarkus' own /q/ endpoints. */
    static long requestsServed(String prometheusText) {
        long total = 0;
        Matcher m = REQUEST_COUNT.matcher(prometheusText);
        while (m.find()) {
            Matcher uri = URI_LABEL.matcher(m.group(1));
            if (uri.find() && !uri.group(1).startsWith("/q/")) {
                total += (long) Double.parseDouble(m.group(2));
            }
        }
        return total;
    }

    private void signal(String name, String signal) {
        Commands.run("kill", "-" + signal, Long.toString(instance(name).pid()));
    }

    private static Path writeAtomically(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, content);
            return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LabException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private void deleteRuntime() {
        if (runtimeRoot == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(runtimeRoot)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp directory the system cleans eventually
        }
    }

    /** Stops every process (proxies first, so no request is routed to a stopping server) and removes the CPU groups. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        instances.values().parallelStream().filter(i -> i.role() != Role.SERVER).forEach(i -> i.stop(STOP_GRACE));
        instances.values().parallelStream().filter(i -> i.role() == Role.SERVER).forEach(i -> i.stop(STOP_GRACE));
        cpu.close();
        namespace.close();
        deleteRuntime();
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down
            }
        }
    }
}
