package dev.peak.dns.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.xbill.DNS.Header;

import dev.peak.dns.config.DnsConfig;
import dev.peak.dns.rrl.ResponseRateLimiter;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

/**
 * Binds peak-dns's UDP and TCP sockets and moves packets between them and the {@link QueryHandler}.
 * UDP uses one socket per event loop on the same port (SO_REUSEPORT, native epoll transport) so the
 * kernel spreads queries over cores; TCP frames messages with the 2-byte length of RFC 1035 §4.2.2.
 */
@ApplicationScoped
public class DnsServer {

    private static final Logger LOG = Logger.getLogger(DnsServer.class);
    private static final long BIND_TIMEOUT_SECONDS = 10;

    private final Vertx vertx;
    private final DnsConfig config;
    private final QueryHandler handler;
    private final ResponseRateLimiter limiter;
    private final boolean rateLimiting;
    private final DnsMetrics metrics;
    private final List<Channel> udpChannels = new ArrayList<>();
    private final UdpHandler udpHandler = new UdpHandler();
    private final AtomicInteger tcpConnections = new AtomicInteger();
    private NetServer tcpServer;
    private volatile boolean bound;

    public DnsServer(Vertx vertx, DnsConfig config, QueryHandler handler, DnsMetrics metrics) {
        this.vertx = vertx;
        this.config = config;
        this.handler = handler;
        this.metrics = metrics;
        this.rateLimiting = config.rrl().responsesPerSecond() > 0;
        this.limiter = new ResponseRateLimiter(config.rrl().responsesPerSecond(), config.rrl().slip(),
                config.rrl().maxPrefixes(), System::nanoTime);
    }

    /** Sockets bound: part of peak-dns's readiness. */
    public boolean bound() {
        return bound;
    }

    /** The TCP port actually bound (differs from the configured one when that is 0). */
    public int tcpPort() {
        return tcpServer == null ? -1 : tcpServer.actualPort();
    }

    /** The UDP port actually bound. */
    public int udpPort() {
        return udpChannels.isEmpty() ? -1 : ((InetSocketAddress) udpChannels.get(0).localAddress()).getPort();
    }

    void start(@Observes @Priority(3) StartupEvent event) throws Exception {
        String host = config.host();
        int sockets = udpSocketCount();
        // Bind TCP first: with port 0 its port is then used for UDP too, as DNS needs both on one port.
        tcpServer = vertx.createNetServer(new NetServerOptions()
                .setHost(host)
                .setPort(config.port())
                .setIdleTimeout((int) config.tcp().idleTimeout().toMillis())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS))
                .connectHandler(this::serveTcp);
        await(tcpServer.listen().toCompletionStage().toCompletableFuture(), "TCP", config.port());
        int port = tcpServer.actualPort();
        // UDP on Netty directly, on Vert.x's own event loops: Vert.x's DatagramSocket resolves the
        // destination host string of every reply and flushes each one alone, which costs throughput.
        boolean epoll = vertx.isNativeTransportEnabled();
        Bootstrap udp = new Bootstrap()
                .group(vertx.nettyEventLoopGroup())
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(udpHandler);
        if (epoll && sockets > 1) {
            udp.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(host), port);
        for (int i = 0; i < sockets; i++) {
            ChannelFuture binding = udp.bind(address).awaitUninterruptibly();
            if (!binding.isSuccess()) {
                throw new IllegalStateException("peak-dns cannot bind UDP port " + port + ": "
                        + binding.cause().getMessage(), binding.cause());
            }
            udpChannels.add(binding.channel());
        }
        bound = true;
        LOG.infof("peak-dns serving %s on [%s]:%d (UDP x%d, TCP)", handler.origin(), host, port, sockets);
    }

    void stop(@Observes ShutdownEvent event) {
        bound = false;
        udpChannels.forEach(Channel::close);
        if (tcpServer != null) {
            tcpServer.close();
        }
    }

    private int udpSocketCount() {
        if (!vertx.isNativeTransportEnabled()) {
            // Without epoll a second socket cannot share the port.
            return 1;
        }
        int configured = config.udp().sockets();
        return configured > 0 ? configured : Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** Answers each datagram on the event loop that read it; replies are flushed once per read batch. */
    @ChannelHandler.Sharable
    private final class UdpHandler extends SimpleChannelInboundHandler<DatagramPacket> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            byte[] answer = handler.handle(ByteBufUtil.getBytes(packet.content()), false);
            if (answer == null) {
                return;
            }
            InetSocketAddress client = packet.sender();
            switch (rateLimiting ? limiter.check(client.getAddress()) : ResponseRateLimiter.Verdict.SEND) {
                case SEND -> ctx.write(new DatagramPacket(Unpooled.wrappedBuffer(answer), client));
                case SLIP -> {
                    metrics.rateLimited("slip");
                    ctx.write(new DatagramPacket(Unpooled.wrappedBuffer(truncated(answer)), client));
                }
                case DROP -> metrics.rateLimited("drop");
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // One bad datagram or a send error (e.g. ICMP unreachable) must never close the socket.
            LOG.debugf(cause, "UDP error");
        }
    }

    /**
     * The header and question with TC set and no records: tells a real client to ask again over TCP.
     * The question stays because stub resolvers (glibc's res_queriesmatch) drop a reply whose question
     * section differs from their query's, and would wait for their timeout instead.
     */
    static byte[] truncated(byte[] answer) {
        int end = questionEnd(answer);
        byte[] slipped = Arrays.copyOf(answer, end);
        slipped[2] |= 0x02;
        if (end == Header.LENGTH) {
            slipped[4] = 0;
            slipped[5] = 0;
        }
        for (int i = 6; i < Header.LENGTH; i++) {
            slipped[i] = 0;
        }
        return slipped;
    }

    /** Where the one question of our own answer ends; the header's end when there is none. */
    private static int questionEnd(byte[] answer) {
        if (answer.length <= Header.LENGTH || answer[4] != 0 || answer[5] != 1) {
            return Header.LENGTH;
        }
        // The question's name comes first in the message, so it is never compressed.
        int at = Header.LENGTH;
        while (at < answer.length && answer[at] != 0) {
            at += (answer[at] & 0xFF) + 1;
        }
        at += 1 + 4; // the root label, QTYPE, QCLASS
        return at <= answer.length ? at : Header.LENGTH;
    }

    private void serveTcp(NetSocket socket) {
        if (tcpConnections.incrementAndGet() > config.tcp().maxConnections()) {
            tcpConnections.decrementAndGet();
            metrics.dropped("tcp-connection-limit");
            socket.close();
            return;
        }
        socket.closeHandler(closed -> tcpConnections.decrementAndGet());
        // Without a handler Vert.x logs every reset connection at ERROR: any client could flood the log.
        socket.exceptionHandler(e -> LOG.debugf("TCP connection from %s: %s", socket.remoteAddress(), e.getMessage()));
        RecordParser parser = RecordParser.newFixed(2);
        parser.handler(new Handler<>() {
            private boolean expectLength = true;

            @Override
            public void handle(Buffer frame) {
                if (expectLength) {
                    int length = frame.getUnsignedShort(0);
                    if (length == 0) {
                        socket.close();
                        return;
                    }
                    expectLength = false;
                    parser.fixedSizeMode(length);
                    return;
                }
                expectLength = true;
                parser.fixedSizeMode(2);
                byte[] answer = handler.handle(frame.getBytes(), true);
                if (answer != null) {
                    socket.write(Buffer.buffer(answer.length + 2).appendUnsignedShort(answer.length).appendBytes(answer));
                    if (socket.writeQueueFull()) {
                        // A client that sends queries but does not read answers: stop reading from it
                        // until it has taken what is queued, so its answers cannot pile up in memory.
                        socket.pause();
                        socket.drainHandler(drained -> socket.resume());
                    }
                }
            }
        });
        socket.handler(parser);
    }

    private static void await(CompletableFuture<?> binding, String transport, int port) throws Exception {
        try {
            binding.get(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            String hint = port > 0 && port < 1024
                    ? " (ports below 1024 need root or CAP_NET_BIND_SERVICE; for a trial set peak.dns.port=5353)" : "";
            throw new IllegalStateException("peak-dns cannot bind " + transport + " port " + port + ": "
                    + e.getCause().getMessage() + hint, e.getCause());
        }
    }
}
