package dev.peak.driver.lab.proxy;

import static dev.peak.driver.lab.proxy.HaproxyConfigTest.ENTRY;
import static dev.peak.driver.lab.proxy.HaproxyConfigTest.RUN_DIR;
import static dev.peak.driver.lab.proxy.HaproxyConfigTest.SERVERS;
import static dev.peak.driver.lab.proxy.HaproxyConfigTest.commentedAbove;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

// Lab addresses appear here only as text: nothing in these tests connects to them (docs/architecture.md: The local lab)
class NginxConfigTest {

    private static String config(BalancePolicy balance, int workers) {
        return NginxConfig.reverseProxy(ENTRY, SERVERS, balance, workers, RUN_DIR);
    }

    @Test
    void workersEqualTheCpuBudget() {
        assertTrue(config(BalancePolicy.ROUND_ROBIN, 3).contains("\nworker_processes 3;\n"));
    }

    @Test
    void ipv6LiteralsAreBracketed() {
        String cfg = config(BalancePolicy.ROUND_ROBIN, 1);
        assertTrue(cfg.contains("listen [fd00:70ea::e:1]:8080;\n"));
        assertTrue(cfg.contains("server [fd00:70ea::a:1]:8080 "));
        assertTrue(cfg.contains("server [fd00:70ea::a:2]:8080 "));
    }

    @Test
    void upstreamConnectionsAreReused() {
        String cfg = config(BalancePolicy.ROUND_ROBIN, 1);
        assertTrue(cfg.contains("\n        keepalive " + NginxConfig.IDLE_UPSTREAM_CONNECTIONS_PER_WORKER + ";\n"));
        assertTrue(cfg.contains("\n            proxy_http_version 1.1;\n"));
        assertTrue(cfg.contains("\n            proxy_set_header Connection \"\";\n"));
    }

    @Test
    void everyServerIsPassivelyHealthChecked() {
        String cfg = config(BalancePolicy.ROUND_ROBIN, 1);
        long serverLines = cfg.lines().filter(l -> l.strip().startsWith("server [")).count();
        long checked = cfg.lines().filter(l -> l.contains(" max_fails=" + NginxConfig.MAX_FAILS
                + " fail_timeout=" + NginxConfig.FAIL_WINDOW_SECONDS + "s;")).count();
        assertTrue(serverLines == SERVERS.size() && checked == serverLines);
        assertTrue(cfg.contains("no active checks"));
    }

    @Test
    void failedConnectionGoesToTheNextServer() {
        assertTrue(config(BalancePolicy.ROUND_ROBIN, 1).contains("\n            proxy_next_upstream error timeout;\n"));
    }

    @Test
    void connectTimeoutMatchesHaproxys() {
        assertTrue(config(BalancePolicy.ROUND_ROBIN, 1).contains(
                "proxy_connect_timeout " + ProxyLimits.CONNECT_TIMEOUT_SECONDS + "s;"));
        assertTrue(HaproxyConfig.reverseProxy(ENTRY, SERVERS, BalancePolicy.ROUND_ROBIN, 1, RUN_DIR).contains(
                "timeout connect " + ProxyLimits.CONNECT_TIMEOUT_SECONDS + "s"));
    }

    @Test
    void workerConnectionsCoverTheSharedClientLimitPlusUpstreams() {
        String cfg = config(BalancePolicy.ROUND_ROBIN, 2);
        assertTrue(cfg.contains("worker_connections " + 2 * ProxyLimits.MAX_CLIENT_CONNECTIONS + ";"));
        assertTrue(cfg.lines().anyMatch(l -> l.startsWith("worker_rlimit_nofile ")
                && Integer.parseInt(l.replaceAll("\\D", "")) > 2 * ProxyLimits.MAX_CLIENT_CONNECTIONS));
    }

    @Test
    void everythingItWritesIsUnderTheRunDirectory() {
        String cfg = config(BalancePolicy.ROUND_ROBIN, 1);
        for (String directive : List.of("pid", "error_log", "client_body_temp_path", "proxy_temp_path",
                "fastcgi_temp_path", "uwsgi_temp_path", "scgi_temp_path")) {
            assertTrue(cfg.lines().map(String::strip)
                    .anyMatch(l -> l.startsWith(directive + " " + RUN_DIR + "/")), directive);
        }
    }

    @Test
    void nothingIsLoggedPerRequest() {
        String cfg = config(BalancePolicy.ROUND_ROBIN, 1);
        assertTrue(cfg.contains("\n    access_log off;\n"));
        assertFalse(cfg.contains("log_format"));
    }

    @Test
    void masterStaysInTheForegroundAndWorkersKeepTheOnlyMappedUser() {
        String cfg = config(BalancePolicy.ROUND_ROBIN, 1);
        assertTrue(cfg.contains("\ndaemon off;\n"));
        assertTrue(cfg.contains("\nuser root;\n"));
    }

    @Test
    void balanceSelectsTheMethod() {
        assertFalse(config(BalancePolicy.ROUND_ROBIN, 1).contains("least_conn;"));
        assertTrue(config(BalancePolicy.LEAST_CONNECTIONS, 1).contains("\n        least_conn;\n"));
    }

    @Test
    void everyNonDefaultSettingSaysWhy() {
        List<String> lines = config(BalancePolicy.LEAST_CONNECTIONS, 1).lines().toList();
        for (String setting : List.of("daemon", "user", "worker_processes", "worker_rlimit_nofile", "pid",
                "worker_connections", "access_log", "client_body_temp_path", "least_conn", "server [",
                "keepalive", "proxy_http_version", "proxy_connect_timeout", "proxy_next_upstream")) {
            assertTrue(commentedAbove(lines, setting), setting + " has no comment above it");
        }
    }

    @Test
    void noWorkersIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> NginxConfig.reverseProxy(ENTRY, SERVERS, BalancePolicy.ROUND_ROBIN, 0, RUN_DIR));
    }
}
