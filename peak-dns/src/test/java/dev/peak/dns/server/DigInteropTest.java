package dev.peak.dns.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.peak.dns.LoopbackLab;
import dev.peak.dns.endpoint.IpLiterals;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** ISC dig, the tool operators reach for, reads peak-dns's answers (make test installs dig; a run without it fails, saying what to install). */
@QuarkusTest
@WithTestResource(LoopbackLab.class)
class DigInteropTest {

    private static final String ZONE = LoopbackLab.ZONE;

    @Inject
    DnsServer server;

    @BeforeAll
    static void digIsInstalled() {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            found |= new File(dir, "dig").canExecute();
        }
        assertTrue(found, "dig is missing: apt-get install dnsutils (make test installs it as root)");
    }

    @Test
    void digShortGetsOneAddressOverUdp() {
        List<String> lines = dig("a." + ZONE, "AAAA", "+short");
        assertEquals(1, lines.size(), lines::toString);
        assertTrue(ips(LoopbackLab.A_ENDPOINTS).contains(ip(lines.get(0))), lines::toString);
    }

    @Test
    void digShortGetsOneAddressOverTcp() {
        List<String> lines = dig("a." + ZONE, "AAAA", "+short", "+tcp");
        assertEquals(1, lines.size(), lines::toString);
        assertTrue(ips(LoopbackLab.A_ENDPOINTS).contains(ip(lines.get(0))), lines::toString);
    }

    @Test
    void digFollowsTruncationToTcp() {
        List<String> lines = dig(LoopbackLab.BIG + "." + ZONE, "AAAA", "+short", "+noedns");
        assertEquals(16, lines.size(), lines::toString);
        assertEquals(Set.copyOf(ips(LoopbackLab.BIG_ENDPOINTS)), Set.copyOf(ips(lines)));
    }

    @Test
    void digShowsRefusedOutsideTheZone() {
        assertTrue(status(dig("example.com.", "A")).contains("status: REFUSED"));
    }

    @Test
    void digShowsNxdomainForAnUnknownName() {
        List<String> lines = dig("nosuch." + ZONE, "AAAA");
        assertTrue(status(lines).contains("status: NXDOMAIN"), lines::toString);
        assertTrue(lines.stream().anyMatch(l -> l.contains("flags: qr aa")), () -> "authoritative: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(ZONE) && l.contains("SOA")), () -> "SOA in authority: " + lines);
    }

    @Test
    void digShowsNodataForAnIpv6OnlyServicesA() {
        List<String> lines = dig("a." + ZONE, "A", "+tcp");
        assertTrue(status(lines).contains("status: NOERROR"), lines::toString);
        assertTrue(lines.stream().anyMatch(l -> l.contains("ANSWER: 0")), lines::toString);
    }

    private static List<InetAddress> ips(List<String> literals) {
        return literals.stream().map(DigInteropTest::ip).toList();
    }

    /** Literals only: InetAddress.getByName on an error line of dig would ask the host's resolver. */
    private static InetAddress ip(String literal) {
        return IpLiterals.parse(literal);
    }

    private static String status(List<String> lines) {
        return lines.stream().filter(l -> l.contains("->>HEADER<<-")).findFirst().orElse("no header line in " + lines);
    }

    private List<String> dig(String name, String type, String... options) {
        List<String> command = new ArrayList<>(List.of("dig", "@::1", "-p", Integer.toString(server.udpPort()),
                name, type, "+time=2", "+tries=1"));
        command.addAll(List.of(options));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("dig did not finish: " + command);
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), () -> String.join(" ", command) + "\n" + output);
            return output.lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
