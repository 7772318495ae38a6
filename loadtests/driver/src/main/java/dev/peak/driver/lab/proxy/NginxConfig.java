package dev.peak.driver.lab.proxy;

import java.nio.file.Path;
import java.util.List;

import dev.peak.common.net.Hosts;

/**
 * nginx 1.22 configuration for the RI1 reverse proxy, tuned as nginx's documentation recommends for
 * proxying with connection reuse. Each non-default setting carries a comment naming the directive's
 * page on https://nginx.org/en/docs/. The lab runs it in the foreground as
 * {@code nginx -p <runDir> -c <file>} and reloads it with SIGHUP.
 */
public final class NginxConfig {

    static final String PID_FILE = "nginx.pid";
    static final String ERROR_LOG = "error.log";
    /**
     * Idle upstream connections each worker keeps. HAProxy keeps every idle one (pool-max-conn -1);
     * this many is above the concurrency the lab's servers reach, so nginx does not close and reopen
     * connections HAProxy would have kept.
     */
    static final int IDLE_UPSTREAM_CONNECTIONS_PER_WORKER = 1024;
    /**
     * A worker's connection limit counts upstream connections too, and nothing makes the kernel spread
     * clients evenly over workers: each may need a client and an upstream connection for every client
     * the proxy admits.
     */
    static final int CONNECTIONS_PER_WORKER = 2 * ProxyLimits.MAX_CLIENT_CONNECTIONS;
    /** Descriptors beyond the connections: listening socket, error log, the channel to the master. */
    private static final int SPARE_FILES_PER_WORKER = 64;
    /** Failures within {@link #FAIL_WINDOW_SECONDS} that take a server out, like HAProxy's fall 2. */
    static final int MAX_FAILS = 2;
    /** The failure window, and how long a failed server is left out: about HAProxy's 2 checks of 1 s. */
    static final int FAIL_WINDOW_SECONDS = 2;

    private NginxConfig() {
    }

    /**
     * RI1 reverse proxy: worker_processes = workers, upstream keep-alive, balance, passive health and
     * retry on the next server, everything it writes under runDir, no access log, in the foreground.
     */
    public static String reverseProxy(Listen listen, List<Upstream> servers, BalancePolicy balance, int workers,
                                      Path runDir) {
        HaproxyConfig.requireServers(servers);
        ConfigValues.requirePositive("workers", workers);
        String dir = ConfigValues.path(runDir);
        StringBuilder upstreams = new StringBuilder();
        if (balance == BalancePolicy.LEAST_CONNECTIONS) {
            upstreams.append("""
                            # The policy the lab runs this experiment with; round robin is nginx's default (upstream#least_conn)
                            least_conn;
                    """);
        }
        upstreams.append("""
                        # Passive health only: open-source nginx has no active checks (that is NGINX Plus's
                        # health_check). A server is left out for %1$d s after %2$d failed attempts within %1$d s,
                        # close to HAProxy's fall 2 at 1 s intervals (upstream#server max_fails, fail_timeout)
                """.formatted(FAIL_WINDOW_SECONDS, MAX_FAILS));
        for (Upstream server : servers) {
            upstreams.append("        server ").append(Hosts.hostPort(server.address(), server.port()))
                    .append(" max_fails=").append(MAX_FAILS).append(" fail_timeout=").append(FAIL_WINDOW_SECONDS)
                    .append("s;  # ").append(server.name()).append('\n');
        }
        return """
                # nginx 1.22, RI1 reverse proxy. Written by the PEAK lab, which runs it as `nginx -p <run dir> -c <this file>`
                # and reloads it with SIGHUP after rewriting it. Directives cited by page: https://nginx.org/en/docs/
                # The lab supervises the master process in the foreground (ngx_core_module#daemon)
                daemon off;
                # The lab's user namespace maps a single uid (root), so workers cannot switch to the default "nobody";
                # as real root they stay root too, so both ways run alike. In the namespace each worker logs
                # "initgroups(root, 0) failed" (setgroups is denied there) and carries on (ngx_core_module#user)
                user root;
                # One worker per CPU of the proxy's budget: "auto" would count the machine's CPUs, not the cgroup
                # quota (ngx_core_module#worker_processes)
                worker_processes %2$d;
                # Enough descriptors for worker_connections (ngx_core_module#worker_rlimit_nofile)
                worker_rlimit_nofile %3$d;
                # In the run directory, like everything else the proxy writes (ngx_core_module#pid, #error_log)
                pid %1$s/%4$s;
                error_log %1$s/%5$s;

                events {
                    # A proxied request holds a client and an upstream connection; the default 512 would cap the
                    # load test (ngx_core_module#worker_connections)
                    worker_connections %6$d;
                }

                http {
                    # Nothing is logged per request on the hot path (ngx_http_log_module#access_log)
                    access_log off;
                    # Buffered bodies go to the run directory: the packaged defaults under /var/lib/nginx belong to
                    # another uid in the lab's namespace (ngx_http_core_module#client_body_temp_path, proxy_temp_path, ...)
                    client_body_temp_path %1$s/client_body_temp;
                    proxy_temp_path %1$s/proxy_temp;
                    fastcgi_temp_path %1$s/fastcgi_temp;
                    uwsgi_temp_path %1$s/uwsgi_temp;
                    scgi_temp_path %1$s/scgi_temp;

                    upstream servers {
                %7$s        # Reuse upstream connections: the idle ones each worker keeps (upstream#keepalive)
                        keepalive %8$d;
                    }

                    server {
                        listen %9$s;

                        location / {
                            proxy_pass http://servers;
                            # Keep-alive to upstreams needs HTTP/1.1 and no "Connection: close" (upstream#keepalive)
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            # Same connect timeout as HAProxy's, instead of 60 s (proxy#proxy_connect_timeout)
                            proxy_connect_timeout %10$ds;
                            # The default, stated because fault tolerance depends on it: a request that fails to
                            # connect or times out goes to the next server (proxy#proxy_next_upstream)
                            proxy_next_upstream error timeout;
                        }
                    }
                }
                """.formatted(dir, workers, CONNECTIONS_PER_WORKER + SPARE_FILES_PER_WORKER, PID_FILE, ERROR_LOG,
                CONNECTIONS_PER_WORKER, upstreams, IDLE_UPSTREAM_CONNECTIONS_PER_WORKER,
                Hosts.hostPort(listen.address(), listen.port()), ProxyLimits.CONNECT_TIMEOUT_SECONDS);
    }
}
