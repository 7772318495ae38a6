package dev.peak.a.chain;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where and how service-a calls service-b in the mesh variant ({@code /chain}). */
@ConfigMapping(prefix = "peak.b")
public interface ServiceBConfig {

    /** Base URL of B (in the mesh: A's sidecar, which forwards to a B instance over mTLS). */
    @WithDefault("http://localhost:8081")
    String url();

    /** Time allowed to open a connection to B. */
    @WithDefault("1s")
    Duration connectTimeout();

    /** Time allowed for B's whole answer once the request is sent. */
    @WithDefault("5s")
    Duration timeout();

    /**
     * Kept-alive connections to B; too few would queue calls inside A and make the mesh look slower
     * than it is.
     */
    @WithDefault("64")
    int maxConnections();
}
