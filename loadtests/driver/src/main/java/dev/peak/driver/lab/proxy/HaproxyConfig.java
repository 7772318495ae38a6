package dev.peak.driver.lab.proxy;

import java.nio.file.Path;
import java.util.List;

import dev.peak.common.net.Hosts;
import dev.peak.driver.variant.HealthChecks;

/**
 * HAProxy 2.6 configuration for the RI1 reverse proxy, tuned as HAProxy's configuration manual
 * recommends for a high-throughput HTTP proxy. Each non-default setting carries a comment citing the
 * manual's section (https://docs.haproxy.org/2.6/configuration.html). The lab runs it as
 * {@code haproxy -W -db -f <file>} and reloads it with SIGUSR2; the mesh's ingress and sidecars
 * ({@link MeshConfig}) share its global and defaults sections, so the mesh is built from the same
 * tuned proxy.
 */
public final class HaproxyConfig {

    /** The stats socket the lab reads server state from, in the run directory. */
    public static final String STATS_SOCKET = "haproxy.sock";
    static final String PID_FILE = "haproxy.pid";
    /** Host of the health-check request: HTTP/1.1 requires one, and Vert.x answers 400 without it. */
    static final String HEALTH_CHECK_HOST = "proxy-health-check";

    private HaproxyConfig() {
    }

    /**
     * RI1 reverse proxy: HTTP on {@code listen}, to the servers; active health checks of
     * {@link HealthChecks#PATH}, nbthread = threads, stats socket and pidfile in runDir.
     */
    public static String reverseProxy(Listen listen, List<Upstream> servers, BalancePolicy balance, int threads,
                                      Path runDir) {
        requireServers(servers);
        StringBuilder cfg = globalAndDefaults("RI1 reverse proxy", threads, runDir);
        cfg.append("""

                frontend entry
                    bind %s
                    default_backend servers

                backend servers
                """.formatted(Hosts.hostPort(listen.address(), listen.port())));
        balanceAndChecks(cfg, balance, "The policy the lab runs this experiment with", HEALTH_CHECK_HOST);
        serverLines(cfg, servers);
        return cfg.toString();
    }

    /**
     * The global and defaults sections every lab HAProxy shares. Per-request logging is left out on
     * purpose: a config with no "log" line logs nothing.
     */
    static StringBuilder globalAndDefaults(String role, int threads, Path runDir) {
        ConfigValues.requirePositive("threads", threads);
        String dir = ConfigValues.path(runDir);
        return new StringBuilder("""
                # HAProxy 2.6, %1$s. Written by the PEAK lab, which runs it as `haproxy -W -db -f <this file>`
                # and reloads it with SIGUSR2 after rewriting it. Sections cited: https://docs.haproxy.org/2.6/configuration.html
                global
                    # One thread per CPU of the proxy's budget: the default counts the CPUs the process may run on,
                    # which a cgroup CPU quota does not reduce (3.1 nbthread)
                    nbthread %2$d
                    # The client-connection limit all lab proxies share; unset, it would follow ulimit -n (3.2 maxconn)
                    maxconn %3$d
                    # The lab reads server state here; only its own user may (3.1 stats socket, mode 600)
                    stats socket %4$s/%5$s mode 600
                    # The master's PID, in the run directory with everything else the proxy writes (3.1 pidfile)
                    pidfile %4$s/%6$s
                    # No "log" line: nothing is logged per request on the hot path (8.1)

                defaults
                    # Layer 7: keep-alive on both sides, HTTP health checks, per-request balancing (4.2 mode)
                    mode http
                    # Slightly above a multiple of 3 s covers one lost SYN; nginx gets the same (4.2 timeout connect)
                    timeout connect %7$ds
                    # Unset they would be infinite; nginx's 60 s defaults on either side (4.2 timeout client/server)
                    timeout client %8$ds
                    timeout server %8$ds
                    # "A few seconds" to receive request headers, against stalled clients (4.2 timeout http-request)
                    timeout http-request 10s
                    # A failed connection is retried on another server, as nginx's proxy_next_upstream does (4.2 option redispatch)
                    option redispatch 1
                    # Any idle upstream connection may carry any request, as nginx's upstream keepalive does: "safe"
                    # (the default) never gives the first request of a client connection an idle one, so one request per
                    # client connection would open one upstream connection each. Fits upstreams that never close idle
                    # connections early, as the lab's servers (4.2 http-reuse)
                    http-reuse always
                    # On a reload the old process answers one more request on each idle client connection, with
                    # "Connection: close", instead of closing it under a client that may be writing to it at that moment
                    # (an HTTP client's pool cannot tell): the behaviour of HAProxy before 2.4 (4.2 option idle-close-on-response)
                    option idle-close-on-response
                """.formatted(role, threads, ProxyLimits.MAX_CLIENT_CONNECTIONS, dir, STATS_SOCKET, PID_FILE,
                ProxyLimits.CONNECT_TIMEOUT_SECONDS, ProxyLimits.IDLE_TIMEOUT_SECONDS));
    }

    /**
     * The start of a backend: balance, and the lab's health check on every server (the check peak-dns
     * also runs, so that fault runs compare balancers, not timers).
     */
    static void balanceAndChecks(StringBuilder cfg, BalancePolicy balance, String balanceReason, String checkHost) {
        cfg.append("""
                    # %s (4.2 balance)
                    balance %s
                    # Active readiness checks, as peak-dns runs them: GET, HTTP/1.1 with a Host (Vert.x answers 400
                    # without one), healthy only on 200 (4.2 option httpchk, http-check send, http-check expect)
                    option httpchk
                    http-check send meth GET uri %s ver HTTP/1.1 hdr Host %s
                    http-check expect status 200
                    # A check must answer within the lab's check timeout (4.2 timeout check)
                    timeout check %dms
                    # Every server checked at the lab's interval, out after %d failures, back after %d successes
                    # (5.2 check, inter, fall, rise)
                    default-server check inter %dms fall %d rise %d
                """.formatted(balanceReason, balance == BalancePolicy.ROUND_ROBIN ? "roundrobin" : "leastconn",
                HealthChecks.PATH, checkHost, HealthChecks.TIMEOUT.toMillis(), HealthChecks.FALL, HealthChecks.RISE,
                HealthChecks.INTERVAL.toMillis(), HealthChecks.FALL, HealthChecks.RISE));
    }

    static void serverLines(StringBuilder cfg, List<Upstream> servers) {
        for (Upstream server : servers) {
            cfg.append("    server ").append(server.name()).append(' ')
                    .append(Hosts.hostPort(server.address(), server.port())).append('\n');
        }
    }

    static void requireServers(List<Upstream> servers) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("a proxy needs at least one upstream");
        }
    }
}
