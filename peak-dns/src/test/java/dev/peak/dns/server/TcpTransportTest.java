package dev.peak.dns.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import dev.peak.dns.Await;
import dev.peak.dns.Dns;
import dev.peak.dns.TestConfigs;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * The TCP framing as Netty's length-field codec does it, on the transport alone (no application):
 * messages are found in the byte stream however it is cut into segments.
 */
class TcpTransportTest {

    private static final int MAX_CONNECTIONS = 2;
    private static final long IDLE_MILLIS = 500;

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    private final TcpTransport transport = new TcpTransport(vertx,
            TestConfigs.dnsConfig("peak.dns.tcp.max-connections", Integer.toString(MAX_CONNECTIONS),
                    "peak.dns.tcp.idle-timeout", IDLE_MILLIS + "ms").tcp(),
            QueryPipelineTest.pipeline(registry), new DnsMetrics(registry));
    private final int port = transport.bind(new InetSocketAddress(Dns.LOOPBACK, 0));

    @AfterEach
    void close() {
        transport.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void twoQueriesInOneSegmentAreAnsweredInOrder() throws IOException {
        try (Socket socket = connect()) {
            byte[] first = query(1);
            byte[] second = query(2);
            byte[] both = Arrays.copyOf(Dns.framed(first), first.length + second.length + 4);
            System.arraycopy(Dns.framed(second), 0, both, first.length + 2, second.length + 2);
            socket.getOutputStream().write(both);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertAnswered(1, Dns.readFrame(in));
            assertAnswered(2, Dns.readFrame(in));
        }
    }

    @Test
    void oneQuerySplitAcrossSegmentsIsAnswered() throws IOException, InterruptedException {
        try (Socket socket = connect()) {
            byte[] framed = Dns.framed(query(3));
            OutputStream out = socket.getOutputStream();
            // cut inside the length field, then inside the message
            for (int[] part : new int[][] {{0, 1}, {1, 7}, {7, framed.length}}) {
                out.write(framed, part[0], part[1] - part[0]);
                out.flush();
                Thread.sleep(50);
            }
            assertAnswered(3, Dns.readFrame(new DataInputStream(socket.getInputStream())));
        }
    }

    @Test
    void zeroLengthFrameClosesTheConnectionAndWhatFollowsIsNotAnswered() throws IOException {
        try (Socket socket = connect()) {
            byte[] query = Dns.framed(query(4));
            byte[] zeroThenQuery = new byte[2 + query.length];
            System.arraycopy(query, 0, zeroThenQuery, 2, query.length);
            socket.getOutputStream().write(zeroThenQuery);
            assertEquals(-1, socket.getInputStream().read(), "closed without an answer");
        }
    }

    @Test
    void connectionsOverTheLimitAreClosedAndCounted() throws IOException {
        try (Socket first = connect(); Socket second = connect()) {
            assertAnswered(5, exchange(first, 5));
            assertAnswered(6, exchange(second, 6));
            try (Socket third = connect()) {
                assertEquals(-1, third.getInputStream().read(), "over the limit: closed at once");
            }
            assertEquals(1, registry.find("peak.dns.dropped").tag("reason", "tcp-connection-limit").counter().count());
        }
        // Both closed: their places are free again once the server has seen them go.
        Await.until(Duration.ofSeconds(2), () -> {
            try (Socket again = connect()) {
                return exchange(again, 7) != null;
            } catch (IOException e) {
                return false;
            }
        }, () -> "a new connection is answered after others closed");
    }

    @Test
    void idleConnectionIsClosed() throws IOException {
        try (Socket socket = connect()) {
            socket.setSoTimeout((int) IDLE_MILLIS * 6);
            assertEquals(-1, socket.getInputStream().read(), "closed after the idle timeout");
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(Dns.LOOPBACK, port), Dns.TIMEOUT_MILLIS);
        socket.setSoTimeout(Dns.TIMEOUT_MILLIS);
        return socket;
    }

    private static byte[] exchange(Socket socket, int id) throws IOException {
        socket.getOutputStream().write(Dns.framed(query(id)));
        return Dns.readFrame(new DataInputStream(socket.getInputStream()));
    }

    private static byte[] query(int id) {
        Message query = Dns.query("a.peak.test.", Type.AAAA);
        query.getHeader().setID(id);
        return query.toWire();
    }

    private static void assertAnswered(int id, byte[] wire) {
        assertNotNull(wire, "an answer");
        Message answer = Dns.parse(wire);
        assertEquals(id, answer.getHeader().getID());
        assertEquals(1, answer.getSection(Section.ANSWER).size(), answer::toString);
    }
}
