package dev.peak.driver.lab.proxy;

/** How a proxy spreads requests over its upstreams: HAProxy roundrobin/leastconn, nginx (default)/least_conn. */
public enum Balance {
    ROUND_ROBIN,
    LEAST_CONNECTIONS
}
