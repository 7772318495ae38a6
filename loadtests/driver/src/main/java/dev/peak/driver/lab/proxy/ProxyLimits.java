package dev.peak.driver.lab.proxy;

/**
 * Limits every proxy of the lab shares (HAProxy, nginx, the mesh's HAProxy sidecars), so that no
 * variant wins or loses by a looser or tighter limit (docs/architecture.md: Fairness rules).
 */
final class ProxyLimits {

    /**
     * Concurrent client connections a proxy accepts. A proxied request also holds an upstream
     * connection, so this needs about twice as many file descriptors: 8000 fits the 20000 open-file
     * limit of the build machine, and no lab load comes near it before the servers saturate.
     */
    static final int MAX_CLIENT_CONNECTIONS = 8000;

    /**
     * Connect timeout to upstreams. HAProxy's manual advises slightly above a multiple of 3 s (one
     * TCP retransmit); nginx's 60 s default would make a black-holed server stall requests 12 times
     * longer behind nginx than behind HAProxy.
     */
    static final int CONNECT_TIMEOUT_SECONDS = 5;

    /** Inactivity timeout on either side: nginx's defaults (client_body/send/proxy_read/proxy_send_timeout). */
    static final int IDLE_TIMEOUT_SECONDS = 60;

    private ProxyLimits() {
    }
}
