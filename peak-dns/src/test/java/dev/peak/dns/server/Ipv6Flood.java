package dev.peak.dns.server;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

import dev.peak.dns.Dns;

/**
 * The IPv6 floods of {@link Ipv6FloodIT}, run inside the private network namespace the test made, where every source
 * address below is on {@code lo} and nothing can leave the machine. Starts the packaged peak-dns with RRL on, floods
 * it from one source, from many addresses of one /56, from 16 /56s and from thousands, and prints one
 * {@code result NAME VALUE} line per figure for the test to check.
 *
 * <p>Arguments: the packaged peak-dns (quarkus-run.jar, or a native runner) and a working folder.
 */
public final class Ipv6Flood {

    static final String SERVER = "fd00:70ea::53";
    static final int PORT = 5353;
    static final String ZONE = "peak.test.";
    static final String LEGITIMATE_SOURCE = "fd00:70ea:ffff::1";
    static final int RATE = 20;
    static final int MAX_PREFIXES = 256;
    /** {@code GC(12) Pause Full (Diagnostic Command) 37M->17M(123M) 37ms}: what jcmd's collection left. */
    private static final Pattern FULL_GC = Pattern.compile("Pause Full \\(.*?\\) \\d+[KMG]->(\\d+)([KMG])");

    private Ipv6Flood() {
    }

    /** The source addresses the namespace needs on {@code lo}, besides {@link #SERVER}. */
    static List<String> sources() {
        List<String> all = new ArrayList<>(List.of(LEGITIMATE_SOURCE));
        all.add(oneSource());
        all.addAll(oneSlash56());
        all.addAll(sixteenSlash56s());
        all.addAll(manySlash56s(0x10));
        all.addAll(manySlash56s(0x20));
        return all;
    }

    static String oneSource() {
        return "fd00:70ea:1:100::1";
    }

    /** 16 addresses in 16 /64s of one /56, fd00:70ea:2:100::/56. */
    static List<String> oneSlash56() {
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            sources.add("fd00:70ea:2:1" + String.format("%02x", i) + "::1");
        }
        return sources;
    }

    /** One address in each of 16 /56s: fd00:70ea:3:100::1, fd00:70ea:3:200::1, ... */
    static List<String> sixteenSlash56s() {
        List<String> sources = new ArrayList<>();
        for (int i = 1; i <= 16; i++) {
            sources.add("fd00:70ea:3:" + Integer.toHexString(i << 8) + "::1");
        }
        return sources;
    }

    /** One address in each of 1,000 /56s, from fd00:70ea:{from}:100::/56 on. */
    static List<String> manySlash56s(int from) {
        List<String> sources = new ArrayList<>();
        for (int j = from; j < from + 4; j++) {
            for (int i = 1; i <= 250; i++) {
                sources.add("fd00:70ea:" + Integer.toHexString(j) + ":" + Integer.toHexString(i << 8) + "::1");
            }
        }
        return sources;
    }

    public static void main(String[] args) throws Exception {
        String hostNamespace = System.getenv("HOST_NETNS");
        if (hostNamespace == null || hostNamespace.equals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString())) {
            throw new IllegalStateException("not in a private network namespace: refusing to flood lab addresses");
        }
        Path program = Path.of(args[0]);
        Path dir = Path.of(args[1]);
        Path zone = dir.resolve("services.yaml");
        Files.writeString(zone, "zone: " + ZONE + "\nttl: 5\nservices:\n  a:\n    port: 8080\n    health: {interval: 0}\n"
                + "    endpoints: [\"fd00:70ea::a:1\"]\n");
        Path gcLog = dir.resolve("peak-dns.gc.log");
        List<String> properties = new ArrayList<>();
        Map.of("peak.dns.host", SERVER, "peak.dns.port", String.valueOf(PORT), "quarkus.http.host", "::1",
                        "peak.dns.static.file", zone.toString(), "peak.dns.rrl.responses-per-second", String.valueOf(RATE),
                        "peak.dns.rrl.slip", "2", "peak.dns.rrl.max-prefixes", String.valueOf(MAX_PREFIXES))
                .forEach((k, v) -> properties.add("-D" + k + "=" + v));
        boolean jar = program.toString().endsWith(".jar");
        List<String> command = new ArrayList<>();
        if (jar) {
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                    "-XX:+UseSerialGC", "-Xlog:gc:file=" + gcLog));
            command.addAll(properties);
            command.addAll(List.of("-jar", program.toString()));
        } else {
            command.add(program.toString());
            command.addAll(properties);
        }
        Process dns = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("peak-dns.log").toFile()).start();
        try {
            awaitAnswers();
            InetSocketAddress server = new InetSocketAddress(InetAddress.getByName(SERVER), PORT);
            String legitimate = "a." + ZONE;
            report("one", flood(server, List.of(oneSource()), true, legitimate));
            report("same56", flood(server, oneSlash56(), true, legitimate));
            report("sixteen56", flood(server, sixteenSlash56s(), true, legitimate));
            report("many56", flood(server, manySlash56s(0x10), true, legitimate));
            Long afterFirst = jar ? heapAfterFullGc(dns.pid(), gcLog) : null;
            report("othermany56", flood(server, manySlash56s(0x20), true, legitimate));
            report("repeated", flood(server, manySlash56s(0x10), false, legitimate));
            if (afterFirst != null) {
                System.out.println("result heap.first " + afterFirst);
                System.out.println("result heap.last " + heapAfterFullGc(dns.pid(), gcLog));
            }
        } finally {
            dns.destroy();
            if (!dns.waitFor(10, TimeUnit.SECONDS)) {
                dns.destroyForcibly();
            }
        }
    }

    private record Outcome(Flood flood, int legitimate) {
    }

    private static Outcome flood(InetSocketAddress server, List<String> sources, boolean randomNames, String legitimate)
            throws Exception {
        Flood flood = new Flood(server, ZONE, sources, randomNames);
        return new Outcome(flood, flood.whileFlooding(LEGITIMATE_SOURCE, legitimate));
    }

    private static void report(String name, Outcome outcome) {
        Flood f = outcome.flood();
        System.out.println(name + ": " + f + "; legitimate client " + outcome.legitimate() + " of " + Flood.LEGITIMATE_QUERIES);
        Map.of("sent", f.sent.get(), "full", f.full.get(), "truncated", f.truncated.get(),
                        "allowed1", f.allowedFull(1, RATE), "allowed16", f.allowedFull(16, RATE),
                        "legitimate", (long) outcome.legitimate())
                .forEach((figure, value) -> System.out.println("result " + name + "." + figure + " " + value));
    }

    /** Until peak-dns answers for the zone, at most a minute: a JVM under test load can start slowly. */
    private static void awaitAnswers() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        InetSocketAddress server = new InetSocketAddress(InetAddress.getByName(SERVER), PORT);
        Flood probe = new Flood(server, ZONE, List.of(LEGITIMATE_SOURCE), false);
        while (System.nanoTime() < deadline) {
            byte[] reply = probe.ask(LEGITIMATE_SOURCE, Dns.query("a." + ZONE, Type.AAAA).toWire());
            if (reply != null && Dns.parse(reply).getRcode() == Rcode.NOERROR) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("peak-dns did not answer within 60 s");
    }

    /** Has the JVM collect everything with jcmd, then reads what its GC log says the heap holds after it. */
    private static long heapAfterFullGc(long pid, Path gcLog) throws Exception {
        int before = fullCollections(gcLog).size();
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(new File("/dev/null")).start();
        if (!gc.waitFor(30, TimeUnit.SECONDS) || gc.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + pid + " GC.run failed");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            List<Long> after = fullCollections(gcLog);
            if (after.size() > before) {
                return after.get(after.size() - 1);
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("jcmd's collection is not in " + gcLog);
    }

    /** The heap after each full collection the GC log reports, in bytes. */
    private static List<Long> fullCollections(Path gcLog) throws IOException {
        List<Long> heaps = new ArrayList<>();
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = FULL_GC.matcher(line);
            if (m.find()) {
                heaps.add(Long.parseLong(m.group(1)) << switch (m.group(2)) {
                    case "K" -> 10;
                    case "M" -> 20;
                    default -> 30;
                });
            }
        }
        return heaps;
    }
}
