package dev.peak.dns.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.peak.dns.config.DnsConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Opens and closes peak-dns's UDP and TCP sockets, one port for both; both transports hand every
 * query to the same {@link QueryPipeline}.
 */
@ApplicationScoped
public class DnsServer {

    private static final Logger LOG = Logger.getLogger(DnsServer.class);
    private static final long BIND_TIMEOUT_SECONDS = 10;

    private final DnsConfig config;
    private final UdpTransport udp;
    private final TcpTransport tcp;
    private volatile boolean bound;

    public DnsServer(Vertx vertx, DnsConfig config, QueryPipeline pipeline, DnsMetrics metrics) {
        this.config = config;
        this.udp = new UdpTransport(vertx, config.udp(), pipeline);
        this.tcp = new TcpTransport(vertx, config.tcp(), pipeline, metrics);
    }

    /** Sockets bound: part of peak-dns's readiness. */
    public boolean bound() {
        return bound;
    }

    /** The TCP port actually bound (differs from the configured one when that is 0). */
    public int tcpPort() {
        return tcp.port();
    }

    /** The UDP port actually bound. */
    public int udpPort() {
        return udp.port();
    }

    void start(@Observes @Priority(3) StartupEvent event) throws Exception {
        InetAddress host = InetAddress.getByName(config.host());
        // Bind TCP first: with port 0 its port is then used for UDP too, as DNS needs both on one port.
        int port = tcp.bind(new InetSocketAddress(host, config.port()));
        udp.bind(new InetSocketAddress(host, port));
        bound = true;
        LOG.infof("peak-dns serving %s on [%s]:%d (UDP x%d, TCP)", Authority.absolute(config.zone()), config.host(), port,
                udp.sockets());
    }

    void stop(@Observes ShutdownEvent event) {
        bound = false;
        udp.close();
        tcp.close();
    }

    /** The channel of a bind that succeeded; else start-up stops with the reason. */
    static Channel await(ChannelFuture binding, String transport, int port) {
        if (binding.awaitUninterruptibly(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS) && binding.isSuccess()) {
            return binding.channel();
        }
        String reason = binding.cause() == null ? "no result within " + BIND_TIMEOUT_SECONDS + " s" : binding.cause().getMessage();
        String hint = port > 0 && port < 1024
                ? " (ports below 1024 need root or CAP_NET_BIND_SERVICE; for a trial set peak.dns.port=5353)" : "";
        throw new IllegalStateException("peak-dns cannot bind " + transport + " port " + port + ": " + reason + hint,
                binding.cause());
    }
}
