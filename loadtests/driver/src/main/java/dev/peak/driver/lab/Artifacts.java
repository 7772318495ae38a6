package dev.peak.driver.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.peak.driver.variant.Variant;

/**
 * The programs the lab runs: the same service builds in every variant (native executables when
 * {@code make native} made them, else the JVM fast-jars), and the system tools, each missing one
 * named with the Debian package that provides it.
 */
public final class Artifacts {

    /** Heap of every JVM in the lab: the same for every instance, whatever the variant. */
    static final String HEAP = "256m";
    /**
     * Every lab JVM compiles, and recompiles what it de-optimised, after a tenth of HotSpot's default counts. An
     * overload takes branches C2 left out of the servers' code (Netty's event loop, compiled on the stack with the
     * request path inlined, among them), and the code then ran interpreted or C1-profiled until the counts were
     * reached again, longer the lower the rate. It narrows the spread, it does not remove it: RI1 direct's staircase
     * at cost 0 sustained a median of 4090 requests/s (2556 to 5034, seven runs) with the defaults and 5034 (2851 to
     * 5034, nine runs) with a tenth; its server's CPU per request at 1229/s, medians 79 and 63 µs.
     * What is left is each JVM's own compiled state, which holds for its whole staircase (see Answers' limits).
     */
    static final String COMPILE_THRESHOLD_SCALING = "0.1";
    /**
     * Vert.x's event loops, one per CPU of the budget as HAProxy's {@code nbthread} and nginx's
     * {@code worker_processes} get, not Quarkus's default of two: two loops under one fifth of a CPU wake, and are
     * stopped by the quota, twice as often. Measured, RI1 direct at cost 0: a median of 5776 requests/s over four
     * runs (5034 to 5776) with one loop, against 5034 over nine (2851 to 5034) with two.
     */
    static final String EVENT_LOOPS = "quarkus.vertx.event-loops-pool-size";
    /** The environment variable whose JVM options every lab JVM gets besides its own (see {@link #extraOptions}). */
    static final String EXTRA_OPTIONS = "PEAK_LAB_JAVA_OPTS";

    /** The Quarkus applications of the project. */
    public enum Application {
        SERVICE_A("service-a"), SERVICE_B("service-b"), PEAK_DNS("peak-dns");

        final String module;

        Application(String module) {
            this.module = module;
        }
    }

    /** Tool → the Debian package that provides it. */
    private static final Map<String, String> PACKAGES = Map.of(
            "ip", "iproute2", "tc", "iproute2", "unshare", "util-linux", "taskset", "util-linux",
            "haproxy", "haproxy", "nginx", "nginx", "openssl", "openssl");

    private Artifacts() {
    }

    /** Fails with one message naming everything missing for this variant: tools and builds. */
    static void check(LabOptions options) {
        check(List.of(options.variant()), options.delay().isPresent(), options.projectRoot());
    }

    /**
     * Fails with one message naming everything missing for any of {@code variants} (with a network delay): tools
     * and builds. A bench checks all its variants before the first runs, not when a missing proxy's turn comes.
     */
    public static void check(List<Variant> variants, boolean delay, Path projectRoot) {
        Set<Application> apps = EnumSet.of(Application.SERVICE_A);
        for (Variant variant : variants) {
            if (variant.withB()) {
                apps.add(Application.SERVICE_B);
            }
            if (variant.usesDns()) {
                apps.add(Application.PEAK_DNS);
            }
        }
        requireTools(tools(variants, delay), System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"));
        List<String> unbuilt = apps.stream().filter(a -> program(projectRoot, a).isEmpty())
                .map(a -> a.module).toList();
        if (!unbuilt.isEmpty()) {
            throw new LabException("not built: " + String.join(", ", unbuilt) + " under " + projectRoot
                    + ". Run 'make build' first");
        }
    }

    /** The system tools {@code variants}' labs run, in the order of a message. */
    static List<String> tools(List<Variant> variants, boolean delay) {
        Set<String> tools = new LinkedHashSet<>(List.of("ip", "taskset"));
        for (Variant variant : variants) {
            switch (variant.entry()) {
                case HAPROXY -> tools.add("haproxy");
                case NGINX -> tools.add("nginx");
                case MESH -> tools.addAll(List.of("haproxy", "openssl"));
                case DNS, DIRECT -> { }
            }
        }
        if (delay) {
            tools.add("tc");
        }
        return List.copyOf(tools);
    }

    /** Fails with one message naming every tool not on {@code path} and the Debian packages to install. */
    static void requireTools(List<String> tools, String path) {
        List<String> missing = tools.stream()
                .filter(tool -> Stream.of(path.split(":")).noneMatch(dir -> Files.isExecutable(Path.of(dir, tool))))
                .toList();
        if (!missing.isEmpty()) {
            throw new LabException("missing tools: " + String.join(", ", missing) + ". Install them with: apt-get install "
                    + missing.stream().map(PACKAGES::get).distinct().collect(Collectors.joining(" "))
                    + " (or run 'make setup' as root)");
        }
    }

    /**
     * The command line of {@code app} sized to its budget: active processors = the budget rounded up (so
     * the JVM's thread pools and GC fit it), a fixed heap, its collections logged to {@code gcLog} (a pause under a
     * fifth of a CPU lasts five times as long, and shows as a throttled instance), JIT thresholds at a tenth
     * ({@value #COMPILE_THRESHOLD_SCALING}), IPv6 preferred, one event loop per processor, then the system
     * properties.
     */
    static List<String> command(Path projectRoot, Application app, int processors, Map<String, String> properties,
                                Path gcLog) {
        Path program = program(projectRoot, app).orElseThrow(() -> new LabException(app.module + " is not built"));
        List<String> command = new ArrayList<>();
        boolean jar = program.toString().endsWith(".jar");
        command.add(jar ? Path.of(System.getProperty("java.home"), "bin", "java").toString() : program.toString());
        if (jar) {
            command.add("-XX:ActiveProcessorCount=" + processors);
            command.add("-Xlog:gc:file=" + gcLog + ":time,uptime,level,tags");
            command.add("-XX:CompileThresholdScaling=" + COMPILE_THRESHOLD_SCALING);
            command.addAll(extraOptions(System.getenv(EXTRA_OPTIONS), gcLog));
        }
        command.add("-Xmx" + HEAP);
        Map<String, String> props = new LinkedHashMap<>(properties);
        props.put("java.net.preferIPv6Addresses", "true");
        props.put(EVENT_LOOPS, Integer.toString(processors));
        props.forEach((k, v) -> command.add("-D" + k + "=" + v));
        if (jar) {
            command.addAll(List.of("-jar", program.toString()));
        }
        return command;
    }

    /**
     * {@value #EXTRA_OPTIONS}, split at spaces, with {@code {instance}} replaced by the path of the instance's logs
     * without their suffix ({@code .../logs/a-1}): JVM options for every lab JVM, to diagnose one, e.g.
     * {@code -XX:StartFlightRecording=filename={instance}.jfr,settings=profile}.
     */
    static List<String> extraOptions(String value, Path gcLog) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        String instance = gcLog.toString().replaceFirst("\\.gc\\.log$", "");
        return Arrays.stream(value.trim().split("\\s+")).map(o -> o.replace("{instance}", instance)).toList();
    }

    /** The native executable if one was built, else the fast-jar. */
    static Optional<Path> program(Path projectRoot, Application app) {
        Path target = projectRoot.resolve(app.module).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            Optional<Path> runner = files.filter(f -> f.getFileName().toString().endsWith("-runner") && Files.isExecutable(f))
                    .findFirst();
            if (runner.isPresent()) {
                return runner;
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        Path jar = target.resolve("quarkus-app").resolve("quarkus-run.jar");
        return Files.isRegularFile(jar) ? Optional.of(jar) : Optional.empty();
    }
}
