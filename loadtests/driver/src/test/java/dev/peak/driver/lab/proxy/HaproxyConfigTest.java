package dev.peak.driver.lab.proxy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.peak.driver.variant.HealthChecks;

// Lab addresses appear here only as text: nothing in these tests connects to them (docs/architecture.md: The local lab)
class HaproxyConfigTest {

    static final Listen ENTRY = new Listen("fd00:70ea::e:1", 8080);
    static final List<Upstream> SERVERS = List.of(
            new Upstream("a-1", "fd00:70ea::a:1", 8080), new Upstream("a-2", "fd00:70ea::a:2", 8080));
    static final Path RUN_DIR = Path.of("/tmp/peak-lab/proxy");

    private static String config(BalancePolicy balance, int threads) {
        return HaproxyConfig.reverseProxy(ENTRY, SERVERS, balance, threads, RUN_DIR);
    }

    @Test
    void threadsEqualTheCpuBudget() {
        assertTrue(config(BalancePolicy.ROUND_ROBIN, 3).contains("\n    nbthread 3\n"));
    }

    @Test
    void ipv6LiteralsAreBracketed() {
        String cfg = config(BalancePolicy.ROUND_ROBIN, 1);
        assertTrue(cfg.contains("bind [fd00:70ea::e:1]:8080\n"));
        assertTrue(cfg.contains("server a-1 [fd00:70ea::a:1]:8080\n"));
        assertTrue(cfg.contains("server a-2 [fd00:70ea::a:2]:8080\n"));
    }

    @Test
    void everyServerIsHealthChecked() {
        String cfg = config(BalancePolicy.ROUND_ROBIN, 1);
        assertTrue(cfg.contains("\n    option httpchk\n"));
        assertTrue(cfg.contains("http-check send meth GET uri " + HealthChecks.PATH + " ver HTTP/1.1 hdr Host "));
        assertTrue(cfg.contains("\n    http-check expect status 200\n"));
        assertTrue(cfg.contains("\n    default-server check inter " + HealthChecks.INTERVAL.toMillis() + "ms fall "
                + HealthChecks.FALL + " rise " + HealthChecks.RISE + "\n"));
        assertTrue(cfg.contains("\n    timeout check " + HealthChecks.TIMEOUT.toMillis() + "ms\n"));
    }

    @Test
    void upstreamConnectionsAreReused() {
        String cfg = config(BalancePolicy.ROUND_ROBIN, 1);
        assertTrue(cfg.contains("\n    http-reuse always\n"));
        assertFalse(cfg.contains("option httpclose") || cfg.contains("option http-server-close"));
    }

    @Test
    void failedConnectionIsRetriedOnAnotherServer() {
        assertTrue(config(BalancePolicy.ROUND_ROBIN, 1).contains("\n    option redispatch 1\n"));
    }

    @Test
    void nothingIsLoggedPerRequest() {
        assertFalse(config(BalancePolicy.ROUND_ROBIN, 1).lines().map(String::strip).anyMatch(l -> l.startsWith("log ")
                || l.startsWith("option httplog")));
    }

    @Test
    void everyTimeoutIsSet() {
        String cfg = config(BalancePolicy.ROUND_ROBIN, 1);
        for (String timeout : List.of("connect", "client", "server", "http-request")) {
            assertTrue(cfg.contains("\n    timeout " + timeout + " "), timeout);
        }
    }

    @Test
    void clientConnectionsAreCappedAtTheSharedLimit() {
        assertTrue(config(BalancePolicy.ROUND_ROBIN, 1).contains("\n    maxconn " + ProxyLimits.MAX_CLIENT_CONNECTIONS + "\n"));
    }

    @Test
    void statsSocketAndPidFileAreInTheRunDirectory() {
        String cfg = config(BalancePolicy.ROUND_ROBIN, 1);
        assertTrue(cfg.contains("\n    stats socket /tmp/peak-lab/proxy/haproxy.sock mode 600\n"));
        assertTrue(cfg.contains("\n    pidfile /tmp/peak-lab/proxy/haproxy.pid\n"));
    }

    @Test
    void balanceSelectsTheAlgorithm() {
        assertTrue(config(BalancePolicy.ROUND_ROBIN, 1).contains("\n    balance roundrobin\n"));
        assertTrue(config(BalancePolicy.LEAST_CONNECTIONS, 1).contains("\n    balance leastconn\n"));
    }

    @Test
    void processStaysUnderTheLabsUser() {
        assertFalse(config(BalancePolicy.ROUND_ROBIN, 1).lines().map(String::strip)
                .anyMatch(l -> l.startsWith("user ") || l.startsWith("group ") || l.equals("daemon")));
    }

    @Test
    void everyNonDefaultSettingSaysWhy() {
        List<String> lines = config(BalancePolicy.ROUND_ROBIN, 1).lines().toList();
        for (String setting : List.of("nbthread", "maxconn", "stats socket", "pidfile", "mode http",
                "timeout connect", "timeout http-request", "option redispatch", "http-reuse", "balance",
                "option httpchk", "timeout check", "default-server")) {
            assertTrue(commentedAbove(lines, setting), setting + " has no comment above it");
        }
    }

    @Test
    void unusableRunDirectoryIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HaproxyConfig.reverseProxy(ENTRY, SERVERS, BalancePolicy.ROUND_ROBIN, 1, Path.of("/tmp/my lab")));
        assertTrue(e.getMessage().contains("/tmp/my lab"));
    }

    @Test
    void noServersIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> HaproxyConfig.reverseProxy(ENTRY, List.of(), BalancePolicy.ROUND_ROBIN, 1, RUN_DIR));
    }

    @Test
    void bracketedOrNonIpv6AddressIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Upstream("a-1", "[fd00:70ea::a:1]", 8080));
        assertThrows(IllegalArgumentException.class, () -> new Upstream("a-1", "a.example", 8080));
        assertThrows(IllegalArgumentException.class, () -> new Listen("fd00:70ea::e:1", 0));
    }

    /** Whether the first line that sets setting follows a comment line. */
    static boolean commentedAbove(List<String> lines, String setting) {
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).strip().startsWith(setting)) {
                return lines.get(i - 1).strip().startsWith("#");
            }
        }
        return fail("no line sets " + setting);
    }
}
