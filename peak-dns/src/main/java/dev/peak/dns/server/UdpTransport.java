package dev.peak.dns.server;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import dev.peak.dns.config.DnsConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.vertx.core.Vertx;

/**
 * DNS over UDP on Netty directly, on Vert.x's own event loops: Vert.x's DatagramSocket resolves the
 * destination host string of every reply and flushes each one alone, which costs throughput. One
 * socket per event loop on the same port (SO_REUSEPORT, native epoll transport) so the kernel spreads
 * queries over cores.
 */
final class UdpTransport {

    private static final Logger LOG = Logger.getLogger(UdpTransport.class);
    /**
     * The largest query read whole; a longer datagram is cut to this and answered FORMERR, as with Netty's
     * own default receive buffer (2,048 bytes). A query is one question and an OPT record: a few hundred
     * bytes at most.
     */
    static final int MAX_QUERY = 2048;
    /**
     * The most datagrams one recvmmsg reads: 32 of {@link #MAX_QUERY} bytes fill 64 KiB, the largest
     * buffer Quarkus's Netty pool (io.netty.allocator.maxOrder=3) serves from its arenas; a larger one
     * would be allocated and freed on every read.
     */
    static final int MAX_RECEIVE_BATCH = 32;

    private final Bootstrap bootstrap;
    private final int sockets;
    private final List<Channel> channels = new ArrayList<>();

    UdpTransport(Vertx vertx, DnsConfig.Udp config, QueryPipeline pipeline) {
        boolean epoll = vertx.isNativeTransportEnabled();
        // Without epoll a second socket cannot share the port.
        this.sockets = !epoll ? 1
                : config.sockets() > 0 ? config.sockets() : Math.max(1, Runtime.getRuntime().availableProcessors());
        this.bootstrap = new Bootstrap()
                .group(vertx.nettyEventLoopGroup())
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel socket) {
                        socket.pipeline().addLast(new Datagrams(pipeline));
                    }
                });
        if (epoll && sockets > 1) {
            bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        int batch = config.receiveBatch();
        if (batch < 1 || batch > MAX_RECEIVE_BATCH) {
            throw new IllegalArgumentException(
                    "peak.dns.udp.receive-batch must be 1 to " + MAX_RECEIVE_BATCH + ", not " + batch);
        }
        if (epoll && batch > 1) {
            // recvmmsg: one system call reads up to `batch` queries, each into its own MAX_QUERY slice
            // of one pooled buffer (measured: about 5 % less CPU per query on one core than recvmsg).
            bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_QUERY)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_QUERY * batch));
        } else {
            bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_QUERY));
        }
    }

    /** Binds every socket to {@code address}. */
    void bind(InetSocketAddress address) {
        for (int i = 0; i < sockets; i++) {
            channels.add(DnsServer.await(bootstrap.bind(address), "UDP", address.getPort()));
        }
    }

    int sockets() {
        return sockets;
    }

    /** The port bound, -1 before. */
    int port() {
        return channels.isEmpty() ? -1 : ((InetSocketAddress) channels.get(0).localAddress()).getPort();
    }

    void close() {
        channels.forEach(Channel::close);
    }

    /**
     * Answers each datagram on the event loop that read it, into a pooled direct buffer that the
     * socket sends from without a copy; replies are flushed once per read batch. One per socket: it
     * copies each query into its own array, which only its event loop touches.
     */
    private static final class Datagrams extends SimpleChannelInboundHandler<DatagramPacket> {

        private final QueryPipeline pipeline;
        private final byte[] query = new byte[MAX_QUERY];

        Datagrams(QueryPipeline pipeline) {
            this.pipeline = pipeline;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf content = packet.content();
            int length = content.readableBytes();
            content.getBytes(content.readerIndex(), query, 0, length);
            InetSocketAddress client = packet.sender();
            ByteBuf answer = pipeline.answer(query, length, client.getAddress(), false, ctx.alloc());
            if (answer != null) {
                ctx.write(new DatagramPacket(answer, client));
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
}
