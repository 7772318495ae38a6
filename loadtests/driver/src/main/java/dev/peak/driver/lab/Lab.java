package dev.peak.driver.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.nimbusds.jose.jwk.JWKSet;

import dev.peak.common.keys.KeySetGenerator;
import dev.peak.common.net.Hosts;
import dev.peak.driver.cpu.CpuEnforcement;
import dev.peak.driver.cpu.CpuReading;
import dev.peak.driver.experiment.Commands;
import dev.peak.driver.experiment.SystemUnderTest;
import dev.peak.driver.lab.proxy.Upstream;
import dev.peak.driver.variant.BudgetClass;
import dev.peak.driver.variant.Component;
import dev.peak.driver.variant.HealthChecks;

/**
 * One variant running in the lab namespace: its servers, and its {@link Balancer} (peak-dns, a proxy or the mesh),
 * which the lab calls at each step, with the operations the experiment driver needs (scale, kill, CPU counters).
 * {@link #close()} ends every process it started and removes its CPU groups; it also runs on JVM shutdown (Ctrl-C).
 *
 * <p>Just over 400 lines because it is the one owner of every process's life (start, readiness, the driver's
 * operations, teardown); what differs between variants lives in the balancers.
 */
public final class Lab implements SystemUnderTest {

    /** The CPU group of the load generator (CMD). */
    static final String LOAD_GROUP = "load";
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final String id;
    private final LabOptions options;
    private final LabNamespace namespace;
    private final CpuControl cpu;
    private final Path workDir;
    private final Path keys;
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private final Thread shutdownHook = new Thread(this::close, "lab-teardown");
    private final Balancer balancer;
    private int servers;
    private boolean closed;

    private Lab(String id, LabOptions options, LabNamespace namespace, CpuControl cpu) {
        this.id = id;
        this.options = options;
        this.namespace = namespace;
        this.cpu = cpu;
        this.workDir = options.workDir();
        this.keys = workDir.resolve("keys");
        this.balancer = Balancer.of(this);
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
        try {
            Files.createDirectories(workDir.resolve("logs"));
            KeySetGenerator.write(new JWKSet(KeySetGenerator.ALGORITHMS.stream()
                    .map(alg -> KeySetGenerator.generate(alg, alg.toLowerCase(Locale.ROOT) + "-1")).toList()), keys);
        } catch (IOException e) {
            throw new LabException("cannot prepare " + workDir + ": " + e.getMessage(), e);
        }
        options.delay().ifPresent(namespace::delay);
        progress.printf("Starting %s with %d server(s) in %s%n", options.variant(), options.servers(), workDir);
        balancer.prepare();
        scaleServers(options.servers());
        balancer.start();
        awaitReady();
    }

    // ---- the servers --------------------------------------------------------------------------------------

    private void scaleServers(int target) {
        int previous = servers;
        servers = target; // new A sidecars route to every B of the target count
        for (int i = previous + 1; i <= target; i++) {
            if (options.variant().withB()) {
                startServer('b', i, Component.SERVICE_B, Artifacts.Application.SERVICE_B,
                        Map.of("mp.jwt.verify.publickey.location", keys.resolve(KeySetGenerator.PUBLIC_SET).toString()));
            }
            startServer('a', i, Component.SERVICE_A, Artifacts.Application.SERVICE_A,
                    Map.of("smallrye.jwt.sign.key.location", keys.resolve(KeySetGenerator.PRIVATE_SET).toString()));
        }
        for (int i = previous; i > target; i--) {
            for (char service : new char[]{'a', 'b'}) {
                balancer.serverStopping(service, i);
                stopInstance(service + "-" + i);
            }
        }
    }

    private void startServer(char service, int i, Component component, Artifacts.Application app,
                             Map<String, String> keyProperties) {
        String name = service + "-" + i;
        String address = Addresses.service(service, i);
        namespace.addAddress(address);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("quarkus.http.host", address);
        props.put("quarkus.http.port", Integer.toString(Addresses.SERVICE_PORT));
        props.put("peak.instance.id", name);
        props.putAll(keyProperties);
        props.putAll(balancer.serviceProperties(service, address));
        props.putAll(options.serviceProperties());
        launchJvm(name, component, address, Addresses.SERVICE_PORT, app, props);
        balancer.serverStarted(service, i);
    }

    // ---- what the balancers use ----------------------------------------------------------------------------

    LabNamespace namespace() {
        return namespace;
    }

    Path workDir() {
        return workDir;
    }

    /** Service {@code service}'s instances running now, as upstreams on {@code port}. */
    List<Upstream> upstreams(char service, int port) {
        List<Upstream> upstreams = new ArrayList<>();
        for (int i = 1; i <= servers; i++) {
            upstreams.add(new Upstream(service + "-" + i, Addresses.service(service, i), port));
        }
        return upstreams;
    }

    List<String> serverAddresses(char service) {
        return upstreams(service, Addresses.SERVICE_PORT).stream().map(Upstream::address).toList();
    }

    /** Where an instance's config is kept, beside its log, for whoever wants to read it afterwards. */
    Path configDir(String name) {
        try {
            return Files.createDirectories(workDir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts one of the project's JVM applications under its role's budget, its GC log beside its log. */
    void launchJvm(String name, Component component, String address, int port, Artifacts.Application app,
                   Map<String, String> props) {
        startProcess(name, component, address, port,
                Artifacts.command(options.projectRoot(), app, options.budgets().processors(component.role()), props,
                        workDir.resolve("logs").resolve(name + ".gc.log")));
    }

    void startProcess(String name, Component component, String address, int port, List<String> command) {
        BudgetClass role = component.role();
        double cpus = options.budgets().of(role);
        Instance instance = Instance.start(name, component, address, port, cpus, cpu.describe(role, cpus),
                cpu.wrap(name, role, cpus, command), Map.of(), workDir, workDir.resolve("logs").resolve(name + ".log"));
        instances.put(name, instance);
        // a JVM under a fifth of a CPU takes many seconds to start: every instance starts free, and gets its budget
        // once the lab is ready (awaitReady)
        cpu.lift(name);
    }

    void stopInstance(String name) {
        Instance gone = instances.remove(name);
        if (gone != null) {
            gone.stop(STOP_GRACE);
        }
    }

    void signal(String name, String signal) {
        Commands.run("kill", "-" + signal, Long.toString(instance(name).pid()));
    }

    /** {@code http://[address]:port}. */
    static String url(String address, int port) {
        return "http://" + Hosts.hostPort(address, port);
    }

    // ---- readiness ----------------------------------------------------------------------------------

    private void awaitReady() {
        long deadline = System.nanoTime() + options.readyTimeout().toNanos();
        for (Instance instance : instances.values()) {
            if (instance.role() == BudgetClass.PROXY) {
                continue; // proxies are ready when the entry answers through them
            }
            int port = instance.role() == BudgetClass.DNS ? Addresses.DNS_ADMIN_PORT : instance.port();
            URI ready = URI.create(url(instance.address(), port) + HealthChecks.PATH);
            Await.until(instance.name(), deadline, () -> Http.ok(ready), () -> !instance.alive(),
                    () -> "see " + instance.log() + "\n" + instance.logTail(15));
        }
        for (URI check : balancer.readinessChecks()) {
            Await.until("the entry " + check, deadline, () -> Http.ok(check), this::anyDied, this::proxyLogs);
        }
        Await.until("every server in the load balancers' rotation", deadline, () -> outOfRotation().isEmpty(),
                this::anyDied, () -> "still out: " + outOfRotation());
        restoreBudgets(options.enforcement());
    }

    /** Live servers some load balancer does not send traffic to yet, as it reports them itself. */
    private List<String> outOfRotation() {
        Set<String> dead = instances.values().stream().filter(i -> i.role() == BudgetClass.SERVER && !i.alive())
                .flatMap(i -> Stream.of(i.name(), i.address())).collect(Collectors.toSet());
        List<String> out = new ArrayList<>();
        for (Instance lb : instances.values()) {
            if (!lb.alive() || lb.role() == BudgetClass.SERVER) {
                continue;
            }
            List<String> notUp = balancer.notInRotation(lb);
            if (notUp == null) {
                out.add(lb.name() + " does not answer");
            } else {
                notUp.stream().filter(e -> dead.stream().noneMatch(e::contains)).map(e -> lb.name() + ": " + e)
                        .forEach(out::add);
            }
        }
        return out;
    }

    private boolean anyDied() {
        return instances.values().stream().anyMatch(i -> !i.alive());
    }

    private String proxyLogs() {
        return instances.values().stream().filter(i -> i.role() != BudgetClass.SERVER)
                .map(i -> i.name() + (i.alive() ? "" : " (exited)") + ": " + i.log() + "\n" + i.logTail(8))
                .collect(Collectors.joining("\n"));
    }

    // ---- what the driver and CMD see -------------------------------------------------------------------

    /** Base URL of the variant's entry: the name peak-dns resolves, the proxy / mesh ingress, or A's first instance. */
    public String entry() {
        return balancer.entry();
    }

    /** Names this lab's CPU groups. */
    public String id() {
        return id;
    }

    LabOptions options() {
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

    private Instance instance(String name) {
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
        env.put("PEAK_ZONE", Hosts.DEFAULT_ZONE);
        if (options.variant().usesDns()) {
            env.put("PEAK_DNS", Addresses.dns(1));
            env.put("PEAK_DNS_SERVERS", dnsReplicas().stream().map(Instance::address).collect(Collectors.joining(" ")));
        }
        env.put("PEAK_ENTRY", entry());
        balancer.entryB().ifPresent(b -> env.put("PEAK_ENTRY_B", b));
        env.put("PEAK_INSTANCES", instances.values().stream().filter(i -> i.role() == BudgetClass.SERVER)
                .map(i -> i.name() + "=" + i.address()).collect(Collectors.joining(" ")));
        env.put("PEAK_LOAD_CPUS", Double.toString(options.budgets().load()));
        env.put("PEAK_LAB_DIR", workDir.toString());
        return env;
    }

    /** Wraps {@code command} in the load generator's CPU budget. */
    @Override
    public List<String> asLoad(List<String> command) {
        return cpu.wrap(LOAD_GROUP, BudgetClass.LOAD, options.budgets().load(), command);
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
        balancer.reconfigure(previous);
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
        kill(balancer.proxy().orElseThrow(() -> new IllegalStateException(options.variant() + " has no proxy")));
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
        return instances.values().stream().filter(i -> i.role() == BudgetClass.DNS).toList();
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
        List<String> names = Stream.concat(Stream.of('a'), balancer.entryB().map(b -> 'b').stream())
                .map(service -> service + "." + Hosts.DEFAULT_ZONE).toList();
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

    /** Stops every process (proxies first, so no request is routed to a stopping server) and removes the CPU groups. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        instances.values().parallelStream().filter(i -> i.role() != BudgetClass.SERVER).forEach(i -> i.stop(STOP_GRACE));
        instances.values().parallelStream().filter(i -> i.role() == BudgetClass.SERVER).forEach(i -> i.stop(STOP_GRACE));
        cpu.close();
        namespace.close();
        balancer.close();
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down
            }
        }
    }
}
