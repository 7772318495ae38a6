package dev.peak.dns.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Floods of the packaged peak-dns over IPv6, from sources in many /56s, the prefix RRL limits an IPv6 client by.
 * IPv6 loopback has one address, so the floods run in a private network namespace this test makes (unshare; a user
 * namespace too when not root), with every source address on its {@code lo}: nothing reaches the host's network.
 * {@link Ipv6Flood} runs them there; each test checks one rule on what it printed. RRL: 20 answers a second per
 * /56, slip 2, a table of 256 prefixes.
 */
class Ipv6FloodIT {

    private static final Map<String, Long> RESULTS = new HashMap<>();
    private static String output;

    @BeforeAll
    static void floodInAPrivateNamespace() throws Exception {
        Path target = Path.of("target");
        Path dir = Files.createDirectories(target.resolve("ipv6-flood"));
        Path nativeRunner = Path.of(System.getProperty("native.image.path", "none"));
        Path program = Files.isExecutable(nativeRunner) ? nativeRunner : target.resolve("quarkus-app/quarkus-run.jar");
        assertTrue(Files.exists(program), program + " is not built: run mvn verify, which packages it first");
        Path batch = dir.resolve("addresses.batch");
        List<String> lines = new ArrayList<>(List.of("addr add " + Ipv6Flood.SERVER + "/128 dev lo nodad"));
        Ipv6Flood.sources().forEach(a -> lines.add("addr add " + a + "/128 dev lo nodad"));
        Files.write(batch, lines);

        boolean root = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        List<String> command = new ArrayList<>(List.of("unshare", "--net"));
        if (!root) {
            command.addAll(List.of("--user", "--map-root-user"));
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        command.addAll(List.of("--", "sh", "-c", "ip link set lo up && ip -batch \"$0\" && exec \"$1\" -cp \"$2\" "
                + Ipv6Flood.class.getName() + " \"$3\" \"$4\"", batch.toString(), java,
                System.getProperty("java.class.path"), program.toAbsolutePath().toString(), dir.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("output.log").toFile());
        builder.environment().put("HOST_NETNS", Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString());
        Process process = builder.start();
        boolean ended = process.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly();
        }
        output = Files.readString(dir.resolve("output.log"));
        System.out.println(output);
        assertTrue(ended && process.exitValue() == 0, "the floods did not run to their end (unshare and ip from "
                + "util-linux and iproute2; user namespaces when not root):\n" + output);
        for (String line : output.split("\n")) {
            if (line.startsWith("result ")) {
                String[] parts = line.split(" ");
                RESULTS.put(parts[1], Long.parseLong(parts[2]));
            }
        }
    }

    private static long result(String name) {
        Long value = RESULTS.get(name);
        assertTrue(value != null, "no " + name + " in:\n" + output);
        return value;
    }

    @Test
    void aClientOfAnotherSlash56IsAnsweredThroughEveryFlood() {
        for (String flood : List.of("one", "same56", "sixteen56", "many56", "othermany56", "repeated")) {
            assertEquals(Flood.LEGITIMATE_QUERIES, result(flood + ".legitimate"), "legitimate answers during " + flood);
        }
    }

    @Test
    void oneSourceGetsItsRateInFullAndTheRestTruncatedOrDropped() {
        assertTrue(result("one.full") <= result("one.allowed1"), "full answers past the rate: " + output);
        assertTrue(result("one.truncated") > 0, "limited answers slip truncated every 2nd time");
        assertTrue(result("one.full") + result("one.truncated") < result("one.sent") * 3 / 4, "most is dropped");
    }

    @Test
    void addressesInOneSlash56ShareOneLimit() {
        // 16 /64s of one /56: what one source gets, not 16 times that
        assertTrue(result("same56.full") <= result("same56.allowed1"), "full answers past one prefix's rate");
    }

    @Test
    void sixteenSlash56sGetSixteenLimits() {
        assertTrue(result("sixteen56.full") <= result("sixteen56.allowed16"), "full answers past 16 prefixes' rate");
        assertTrue(result("sixteen56.full") > result("sixteen56.allowed1"), "16 /56s limited as one");
    }

    @Test
    void floodsFromThousandsOfSlash56sLeaveTheHeapWhereTheFirstOneLeftIt() {
        if (!RESULTS.containsKey("heap.first")) {
            return; // a native runner: no jcmd, no GC log; the JVM run measures the heap
        }
        long grown = result("heap.last") - result("heap.first");
        assertTrue(grown < 8 << 20, "the heap after GC grew by " + (grown >> 20) + " MiB: " + output);
    }
}
