package dev.peak.dns.server;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import dev.peak.dns.config.DnsConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
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
 *
 * <p>Backpressure: a client that sends queries and does not read the answers is neither answered
 * nor read from while more than {@link #ANSWER_QUEUE}'s high mark of answers waits for it, so what
 * peak-dns holds for a connection stays bounded (its answers, at most one answer over the mark, and
 * the one read in progress); it carries on once the queue is below the low mark again. A client that
 * takes nothing at all is closed after the idle timeout, as no write completes either.
 */
final class TcpTransport {

    private static final Logger LOG = Logger.getLogger(TcpTransport.class);
    private static final int LENGTH_FIELD = 2;
    /** The 2-byte length field cannot say more, so no frame is ever too long. */
    private static final int MAX_FRAME = 65_535 + LENGTH_FIELD;
    /** Bytes of answers queued for one connection (Netty's own defaults, named because the bound is a rule). */
    static final WriteBufferWaterMark ANSWER_QUEUE = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

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

    /** The bytes of answers queued on the connection that has the most (what backpressure bounds). */
    long largestAnswerQueue() {
        return channels.stream()
                .filter(channel -> channel != listener)
                .map(channel -> channel.unsafe().outboundBuffer())
                .filter(Objects::nonNull)
                .mapToLong(ChannelOutboundBuffer::totalPendingWriteBytes)
                .max().orElse(0);
    }

    /** Takes a new connection: closes it when there are too many, else sets up its handlers. */
    void accept(Channel connection) {
        if (connections.incrementAndGet() > maxConnections) {
            connections.decrementAndGet();
            metrics.dropped("tcp-connection-limit");
            connection.close();
            return;
        }
        connection.closeFuture().addListener(closed -> connections.decrementAndGet());
        channels.add(connection);
        connection.config().setWriteBufferWaterMark(ANSWER_QUEUE);
        connection.pipeline().addLast(
                new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS),
                ReadGate.INSTANCE,
                new QueryFrames(metrics),
                new LengthFieldPrepender(LENGTH_FIELD),
                queries);
    }

    /**
     * Lets no read through while the connection is unwritable: autoRead off stops Netty's own reads,
     * and this stops the one ByteToMessageDecoder asks for when a read gave it no whole query (as when
     * {@link QueryFrames} holds them all back), which would otherwise read on without end.
     */
    @ChannelHandler.Sharable
    private static final class ReadGate extends ChannelOutboundHandlerAdapter {

        static final ReadGate INSTANCE = new ReadGate();

        @Override
        public void read(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                ctx.read();
            }
        }
    }

    /**
     * Cuts the byte stream into queries, but only while the connection is writable: a query still in
     * the buffer is not answered yet, so one that arrived in the same read as many others cannot push
     * the answer queue far past its high mark. Reading stops too while it is unwritable; once it is
     * writable again, the queries held back are answered at once, since the client may be waiting for
     * them before it sends anything more.
     */
    private static final class QueryFrames extends LengthFieldBasedFrameDecoder {

        private final DnsMetrics metrics;

        QueryFrames(DnsMetrics metrics) {
            super(MAX_FRAME, 0, LENGTH_FIELD, 0, LENGTH_FIELD);
            this.metrics = metrics;
        }

        @Override
        protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
            return ctx.channel().isWritable() ? super.decode(ctx, in) : null;
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
            boolean writable = ctx.channel().isWritable();
            ctx.channel().config().setAutoRead(writable);
            if (!writable) {
                metrics.tcpReadingPaused();
            } else {
                // Later, not inside the flush that made it writable: answering writes and flushes again.
                ctx.executor().execute(() -> answerHeldBack(ctx));
            }
            ctx.fireChannelWritabilityChanged();
        }

        private void answerHeldBack(ChannelHandlerContext ctx) {
            if (ctx.isRemoved() || !ctx.channel().isActive()) {
                return;
            }
            try {
                channelRead(ctx, Unpooled.EMPTY_BUFFER); // decodes what the buffer holds, as a read would
                channelReadComplete(ctx); // and flushes the answers
            } catch (Exception e) {
                ctx.fireExceptionCaught(e);
            }
        }
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
