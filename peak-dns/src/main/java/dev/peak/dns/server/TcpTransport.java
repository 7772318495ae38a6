package dev.peak.dns.server;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import dev.peak.dns.config.DnsConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.vertx.core.Vertx;

/**
 * DNS over TCP on Netty directly, on Vert.x's event loops as UDP is: every message framed by its
 * 2-byte length (RFC 1035 §4.2.2) with Netty's own codec, pipelined queries answered in order.
 */
final class TcpTransport {

    private static final Logger LOG = Logger.getLogger(TcpTransport.class);
    private static final int LENGTH_FIELD = 2;
    /** The 2-byte length field cannot say more, so no frame is ever too long. */
    private static final int MAX_FRAME = 65_535 + LENGTH_FIELD;

    private final ServerBootstrap bootstrap;
    private final DnsMetrics metrics;
    private final int maxConnections;
    private final long idleMillis;
    private final Queries queries;
    private final AtomicInteger connections = new AtomicInteger();
    /** The listening socket and every connection, so that closing the transport closes them all. */
    private final ChannelGroup channels = new DefaultChannelGroup("peak-dns-tcp", GlobalEventExecutor.INSTANCE);
    private Channel listener;

    TcpTransport(Vertx vertx, DnsConfig.Tcp config, QueryPipeline pipeline, DnsMetrics metrics) {
        this.metrics = metrics;
        this.maxConnections = config.maxConnections();
        this.idleMillis = config.idleTimeout().toMillis();
        this.queries = new Queries(pipeline);
        this.bootstrap = new ServerBootstrap()
                .group(vertx.nettyEventLoopGroup())
                .channel(vertx.isNativeTransportEnabled() ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel connection) {
                        accept(connection);
                    }
                });
    }

    /** Listens on {@code address}; returns the port bound (the configured one unless that is 0). */
    int bind(InetSocketAddress address) {
        listener = DnsServer.await(bootstrap.bind(address), "TCP", address.getPort());
        channels.add(listener);
        return port();
    }

    /** The port bound, -1 before. */
    int port() {
        return listener == null ? -1 : ((InetSocketAddress) listener.localAddress()).getPort();
    }

    void close() {
        channels.close();
    }

    private void accept(Channel connection) {
        if (connections.incrementAndGet() > maxConnections) {
            connections.decrementAndGet();
            metrics.dropped("tcp-connection-limit");
            connection.close();
            return;
        }
        connection.closeFuture().addListener(closed -> connections.decrementAndGet());
        channels.add(connection);
        connection.pipeline().addLast(
                new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS),
                new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, LENGTH_FIELD, 0, LENGTH_FIELD),
                new LengthFieldPrepender(LENGTH_FIELD),
                queries);
    }

    /** Answers each framed query; answers are flushed once per read batch, as on UDP. */
    @ChannelHandler.Sharable
    private static final class Queries extends SimpleChannelInboundHandler<ByteBuf> {

        private final QueryPipeline pipeline;

        Queries(QueryPipeline pipeline) {
            this.pipeline = pipeline;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            if (!frame.isReadable()) {
                // No DNS message is empty: whatever the client sends, it is not speaking DNS.
                ctx.close();
                return;
            }
            if (!ctx.channel().isActive()) {
                return; // the rest of a read that held a zero length: the connection is closed already
            }
            InetSocketAddress client = (InetSocketAddress) ctx.channel().remoteAddress();
            byte[] query = ByteBufUtil.getBytes(frame);
            ByteBuf answer = pipeline.answer(query, query.length, client.getAddress(), true, ctx.alloc());
            if (answer != null) {
                ctx.write(answer);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            // A client that sends queries but does not read answers: stop reading from it until it has
            // taken what is queued, so its answers cannot pile up in memory.
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent) {
                ctx.close();
            } else {
                ctx.fireUserEventTriggered(event);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // Any client can reset a connection: logging each at ERROR would let it flood the log.
            LOG.debugf("TCP connection from %s: %s", ctx.channel().remoteAddress(), cause.getMessage());
            ctx.close();
        }
    }
}
