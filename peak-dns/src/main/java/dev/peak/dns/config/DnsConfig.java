package dev.peak.dns.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.peak.common.net.Hosts;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Every peak-dns setting and its default; application.properties holds only what differs. */
@ConfigMapping(prefix = "peak.dns")
public interface DnsConfig {

    /** The one zone served, absolute (trailing dot added when missing). */
    @WithDefault(Hosts.DEFAULT_ZONE)
    String zone();

    /** Address the DNS sockets bind to; {@code ::} is every address, IPv6 and IPv4. */
    @WithDefault("::")
    String host();

    @WithDefault("53")
    int port();

    /** Discovery sources, any of {@code static}, {@code registry}, {@code kubernetes}. */
    @WithDefault("static")
    List<String> discovery();

    @WithName("static")
    StaticSource staticSource();

    /** TTL of answers for services that set none. */
    @WithDefault("5")
    long ttl();

    /** TTL of negative answers (NXDOMAIN, NODATA): the SOA minimum. */
    @WithDefault("5")
    long negativeTtl();

    /** Largest UDP answer offered to EDNS clients (RFC 9715's safe 1232 by default). */
    @WithDefault("1232")
    int ednsPayload();

    /** Addresses answered for the zone's name server {@code ns.<zone>} (its glue); empty: none. */
    Optional<List<String>> nameserverAddresses();

    Udp udp();

    Tcp tcp();

    Health health();

    Rrl rrl();

    Registry registry();

    Kubernetes kubernetes();

    interface StaticSource {
        /**
         * The YAML file of services (docs/architecture.md: The static discovery file); required when {@code static}
         * discovery is on.
         */
        Optional<Path> file();

        /** How often the file is checked for changes. */
        @WithDefault("1s")
        Duration reloadInterval();
    }

    interface Udp {
        /**
         * UDP sockets bound to the same port with SO_REUSEPORT, one per event loop, so the kernel spreads
         * queries over cores. 0 = one per event loop; needs the native epoll transport, else 1 is used.
         */
        @WithDefault("0")
        int sockets();

        /**
         * Queries read per system call (recvmmsg, native epoll transport only), 1 to 32; 1 reads each
         * datagram with its own recvmsg. Replies to one batch go out in one sendmmsg either way.
         */
        @WithDefault("16")
        int receiveBatch();
    }

    interface Tcp {
        @WithDefault("10s")
        Duration idleTimeout();

        @WithDefault("1000")
        int maxConnections();
    }

    /** Default active health checks; each service may override them in the static file. */
    interface Health {
        @WithDefault("/q/health/ready")
        String path();

        /** 0 disables health checks: every endpoint is answered. */
        @WithDefault("2s")
        Duration interval();

        @WithDefault("1s")
        Duration timeout();

        /** Consecutive successes before an endpoint that was down is answered again. */
        @WithDefault("2")
        int rise();

        /** Consecutive failures before an endpoint leaves the answers. */
        @WithDefault("2")
        int fall();

        /** Path of the Prometheus metrics read for least-loaded. */
        @WithDefault("/q/metrics")
        String metricsPath();

        /** The gauge read as an endpoint's load by least-loaded (service-a/b's in-flight requests). */
        @WithDefault("peak_http_requests_in_flight")
        String loadMetric();

        /**
         * The counter of requests an endpoint shed (service-a/b's 503s): least-loaded ranks an endpoint
         * whose count grew since the last reading after every other. A name no endpoint exports turns it off.
         */
        @WithDefault("peak_http_requests_shed_total")
        String shedMetric();
    }

    interface Rrl {
        /** UDP responses per second per client prefix (/56 IPv6, /24 IPv4); 0 disables rate limiting. */
        @WithDefault("0")
        int responsesPerSecond();

        /** Every slip-th limited response is sent truncated (TC) instead of dropped; 0 drops all. */
        @WithDefault("2")
        int slip();

        /** Most client prefixes tracked at once: bounds the limiter's memory. */
        @WithDefault("100000")
        int maxPrefixes();
    }

    interface Registry {
        /** An endpoint registered through the API leaves the answers unless renewed within this time. */
        @WithDefault("30s")
        Duration lease();

        /**
         * Who may write to the registry: a file of lines {@code <caller> <token>} (a Kubernetes Secret mounted as a
         * file, say), re-read when it changes; a write carries {@code Authorization: Bearer <token>}. Required with
         * the registry: whoever writes to it decides where clients go.
         */
        Optional<Path> tokenFile();

        /**
         * The prefixes a registered address must lie in, e.g. {@code fd00:70ea::/48}; required with the registry, so
         * that nobody can point a name at an address outside the cluster's own.
         */
        Optional<List<String>> allowedPrefixes();

        /** Writes (registrations, renewals, removals) per second for each caller; beyond, 429. */
        @WithDefault("100")
        int writesPerSecond();
    }

    /** The {@code kubernetes} discovery source; the client itself is configured by {@code quarkus.kubernetes-client.*}. */
    interface Kubernetes {
        /**
         * Namespace whose labelled Services are answered for. Default: the client's namespace (in a pod,
         * its own; outside, the kubeconfig context's; else {@code default}). {@code *} watches every
         * namespace and needs a ClusterRole instead of a Role.
         */
        Optional<String> namespace();
    }
}
