package dev.peak.dns.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import dev.peak.dns.Await;
import dev.peak.dns.Dns;
import dev.peak.dns.TestConfigs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * A TCP client that sends queries and does not read the answers: peak-dns stops answering and reading
 * it while a high water mark of answers waits, so what it holds for the connection stays bounded
 * whatever the client sends, and carries on once the client reads.
 */
class TcpBackpressureTest {

    /**
     * About 300 KB of queries, 600 KB of answers: with the client's receive buffer small, the kernel
     * holds a few dozen KB of them at first, so the queue reaches its high mark long before the end.
     */
    private static final int QUERIES = 10_000;
    /**
     * How far past the high mark the queue may go: the one answer whose write crossed it (57 bytes
     * here, with its 2-byte length), and Netty's bookkeeping of a little under 100 bytes per message.
     */
    private static final int ONE_ANSWER_OVER = 1024;

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    private final TcpTransport transport = new TcpTransport(vertx,
            TestConfigs.dnsConfig("peak.dns.tcp.idle-timeout", "60s").tcp(),
            QueryPipelineTest.pipeline(registry), new DnsMetrics(registry));

    @AfterEach
    void close() {
        transport.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void clientThatDoesNotReadIsNotReadFromAndItsAnswersStayWithinTheHighWaterMark() throws Exception {
        int port = transport.bind(new InetSocketAddress(Dns.LOOPBACK, 0));
        byte[] queries = framedQueries(QUERIES);
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096); // before connecting: the kernel then holds few answers for the client
            socket.connect(new InetSocketAddress(Dns.LOOPBACK, port), Dns.TIMEOUT_MILLIS);
            socket.setSoTimeout(Dns.TIMEOUT_MILLIS);
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    socket.getOutputStream().write(queries);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });

            Await.until(Duration.ofSeconds(10), () -> paused() >= 1, () -> "reading paused");
            // The client goes on sending and not reading: the queue stays where it was bounded.
            for (int i = 0; i < 20; i++) {
                long queued = transport.largestAnswerQueue();
                assertTrue(queued <= TcpTransport.ANSWER_QUEUE.high() + ONE_ANSWER_OVER,
                        "answers queued: " + queued + " bytes, high water mark " + TcpTransport.ANSWER_QUEUE.high());
                Thread.sleep(10);
            }

            DataInputStream in = new DataInputStream(socket.getInputStream());
            for (int i = 0; i < QUERIES; i++) {
                assertAnswered(i, Dns.readFrame(in));
            }
            sent.get(Dns.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void queriesHeldBackWhileUnwritableAreAnsweredOnceTheAnswersDrain() {
        // A socket that takes nothing until the client reads, and reads that hold many queries: the
        // queries held back must be answered when it drains, since the client may send nothing more.
        StuckConnection connection = new StuckConnection();
        transport.accept(connection);
        connection.readsAsked = 0;
        int queries = 2_000; // about 500 KB of answers as Netty counts them
        byte[] burst = framedQueries(queries);
        int half = queries / 2 * (burst.length / queries); // two reads, split between queries
        connection.pipeline().fireChannelRead(Unpooled.wrappedBuffer(burst, 0, half)).fireChannelReadComplete();

        assertFalse(connection.isWritable(), "the answers so far fill the queue");
        assertFalse(connection.config().isAutoRead(), "and reading stopped");
        long queued = connection.unsafe().outboundBuffer().totalPendingWriteBytes();
        assertTrue(queued <= TcpTransport.ANSWER_QUEUE.high() + ONE_ANSWER_OVER, "queued " + queued);
        assertEquals(1, paused());
        // Bytes of a read already under way still arrive; the decoder, given no whole query, asks for more.
        connection.pipeline().fireChannelRead(Unpooled.wrappedBuffer(burst, half, burst.length - half)).fireChannelReadComplete();
        assertEquals(0, connection.readsAsked, "no read reaches the socket while paused");
        assertEquals(queued, connection.unsafe().outboundBuffer().totalPendingWriteBytes(), "nothing more answered");

        connection.clientReads = true;
        connection.flush(); // the client takes everything: writable again
        connection.runPendingTasks();

        ByteBuf answers = Unpooled.buffer();
        for (ByteBuf part; (part = connection.readOutbound()) != null; part.release()) {
            answers.writeBytes(part);
        }
        for (int i = 0; i < queries; i++) {
            byte[] frame = new byte[answers.readUnsignedShort()];
            answers.readBytes(frame);
            assertAnswered(i, frame);
        }
        assertFalse(answers.isReadable(), "nothing but the answers");
        answers.release();
        assertTrue(connection.config().isAutoRead(), "reading again");
        assertTrue(connection.readsAsked > 0, "and asking the socket for more");
        connection.finishAndReleaseAll();
    }

    /** A connection from a client that takes no answer until {@link #clientReads}; counts the reads asked of it. */
    private static final class StuckConnection extends EmbeddedChannel {

        boolean clientReads;
        int readsAsked;

        @Override
        protected SocketAddress remoteAddress0() {
            return new InetSocketAddress(Dns.LOOPBACK, 53_000);
        }

        @Override
        protected void doWrite(ChannelOutboundBuffer in) throws Exception {
            if (clientReads) {
                super.doWrite(in);
            }
        }

        @Override
        protected void doBeginRead() throws Exception {
            readsAsked++;
            super.doBeginRead();
        }
    }

    private double paused() {
        Counter counter = registry.find("peak.dns.tcp.paused").counter();
        return counter == null ? 0 : counter.count();
    }

    /** {@code count} length-framed AAAA queries for a.peak.test, numbered from 0 by their ID. */
    private static byte[] framedQueries(int count) {
        byte[] one = Dns.framed(Dns.query("a.peak.test.", Type.AAAA).toWire());
        byte[] all = new byte[one.length * count];
        for (int i = 0; i < count; i++) {
            one[2] = (byte) (i >>> 8);
            one[3] = (byte) i;
            System.arraycopy(one, 0, all, i * one.length, one.length);
        }
        return all;
    }

    private static void assertAnswered(int query, byte[] wire) {
        assertNotNull(wire, "an answer to query " + query);
        Message answer = Dns.parse(wire);
        assertEquals(query & 0xFFFF, answer.getHeader().getID(), "answers in order");
        assertEquals(1, answer.getSection(Section.ANSWER).size(), answer::toString);
    }
}
