package dev.peak.dns.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import dev.peak.dns.Dns;
import dev.peak.dns.LoopbackLab;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A malformed packet gets FORMERR or nothing, never kills or stalls the server (docs/architecture.md: peak-dns, Abuse):
 * after each one, the same client socket (so the same server socket and event loop) gets a correct
 * answer to a normal query.
 */
@QuarkusTest
@WithTestResource(LoopbackLab.class)
class MalformedQueryTest {

    /** How long to listen for an answer that should not come. */
    private static final int SILENCE_MILLIS = 300;

    enum Expect { FORMERR, NOTHING }

    @Inject
    DnsServer server;

    static Stream<Arguments> malformedPackets() {
        Random random = new Random(20261127);
        return Stream.of(
                Arguments.of("empty packet", new byte[0], Expect.NOTHING),
                Arguments.of("1 byte", bytes(0x12), Expect.NOTHING),
                Arguments.of("11 bytes", Arrays.copyOf(header(0x1234, 0x01, 0x00, 1, 0, 0, 0), 11), Expect.NOTHING),
                Arguments.of("header only, QDCOUNT 1", header(0x1234, 0x01, 0x00, 1, 0, 0, 0), Expect.FORMERR),
                // dnsjava forgives a cut-off message whose TC bit is set: the header says one question, none was read
                Arguments.of("header only with TC set, QDCOUNT 1", header(0x1234, 0x03, 0x00, 1, 0, 0, 0), Expect.FORMERR),
                Arguments.of("question cut short with TC set",
                        Arrays.copyOf(concat(header(0x1234, 0x03, 0x00, 1, 0, 0, 0), question("a.peak.test.", Type.AAAA)), 20),
                        Expect.FORMERR),
                Arguments.of("compression pointer to itself",
                        concat(header(0x1234, 0x01, 0x00, 1, 0, 0, 0), bytes(0xC0, 12, 0, 28, 0, 1)), Expect.FORMERR),
                Arguments.of("compression pointer loop of two",
                        concat(header(0x1234, 0x01, 0x00, 1, 0, 0, 0), bytes(1, 'a', 0xC0, 12, 0, 28, 0, 1)), Expect.FORMERR),
                Arguments.of("compression pointer forward",
                        concat(header(0x1234, 0x01, 0x00, 1, 0, 0, 0), bytes(0xC0, 18, 0, 28, 0, 1, 1, 'a', 0)), Expect.FORMERR),
                Arguments.of("compression pointer out of bounds",
                        concat(header(0x1234, 0x01, 0x00, 1, 0, 0, 0), bytes(0xFF, 0xFF, 0, 28, 0, 1)), Expect.FORMERR),
                Arguments.of("answer count larger than the packet",
                        concat(header(0x1234, 0x01, 0x00, 1, 50, 0, 0), question("a.peak.test.", Type.AAAA)), Expect.FORMERR),
                Arguments.of("additional count larger than the packet",
                        concat(header(0x1234, 0x01, 0x00, 1, 0, 0, 0xFFFF), question("a.peak.test.", Type.AAAA)), Expect.FORMERR),
                Arguments.of("question count larger than the packet",
                        concat(header(0x1234, 0x01, 0x00, 9, 0, 0, 0), question("a.peak.test.", Type.AAAA)), Expect.FORMERR),
                Arguments.of("question cut in the type",
                        Arrays.copyOf(concat(header(0x1234, 0x01, 0x00, 1, 0, 0, 0), question("a.peak.test.", Type.AAAA)), 27),
                        Expect.FORMERR),
                Arguments.of("label longer than 63",
                        concat(header(0x1234, 0x01, 0x00, 1, 0, 0, 0), longLabel(64)), Expect.FORMERR),
                Arguments.of("name longer than 255",
                        concat(header(0x1234, 0x01, 0x00, 1, 0, 0, 0), longName()), Expect.FORMERR),
                Arguments.of("record with rdlength past the end",
                        concat(header(0x1234, 0x01, 0x00, 1, 0, 0, 1), question("a.peak.test.", Type.AAAA),
                                bytes(0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0xFF, 0xFF)), Expect.FORMERR),
                Arguments.of("well-formed query longer than the bytes read of a datagram (EDNS padding)",
                        paddedQuery(UdpTransport.MAX_QUERY + 1000), Expect.FORMERR),
                Arguments.of("random bytes, 12", randomPacket(random, 12), Expect.FORMERR),
                Arguments.of("random bytes, 100", randomPacket(random, 100), Expect.FORMERR),
                Arguments.of("random bytes, 512", randomPacket(random, 512), Expect.FORMERR),
                Arguments.of("random bytes, 4000", randomPacket(random, 4000), Expect.FORMERR),
                Arguments.of("a well-formed response (QR set)", response(Dns.query("a.peak.test.", Type.AAAA).toWire()),
                        Expect.NOTHING),
                Arguments.of("a malformed response (QR set)", response(header(0x1234, 0x01, 0x00, 1, 0, 0, 0)),
                        Expect.NOTHING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedPackets")
    void malformedUdpPacketGetsFormerrOrNothingAndTheServerGoesOn(String what, byte[] packet, Expect expect) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(Dns.LOOPBACK, 0))) {
            socket.send(new DatagramPacket(packet, packet.length, Dns.LOOPBACK, server.udpPort()));
            byte[] answer = receive(socket, expect == Expect.NOTHING ? SILENCE_MILLIS : Dns.TIMEOUT_MILLIS);
            if (expect == Expect.NOTHING) {
                assertNull(answer, () -> what + " deserves no answer, got " + Dns.parse(answer));
            } else {
                assertFormerr(packet, answer);
            }
            assertSocketStillAnswers(socket);
        }
    }

    @Test
    void malformedPacketWithResponseBitIsNeverAnswered() throws IOException {
        // Answering responses lets two servers bounce packets between them forever, and lets a spoofer
        // reflect traffic: whatever follows the header, QR set means silence.
        Random random = new Random(7);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(Dns.LOOPBACK, 0))) {
            for (int i = 0; i < 50; i++) {
                byte[] packet = randomPacket(random, 12 + random.nextInt(200));
                packet[2] |= (byte) 0x80;
                socket.send(new DatagramPacket(packet, packet.length, Dns.LOOPBACK, server.udpPort()));
            }
            assertSocketStillAnswers(socket);
        }
    }

    @Test
    void tcpLengthPrefixZeroClosesTheConnectionOnly() throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(bytes(0, 0));
            socket.getOutputStream().flush();
            assertEquals(-1, socket.getInputStream().read(), "the server closes the connection");
        }
        assertTcpStillAnswers();
    }

    @Test
    void tcpLengthLargerThanWhatFollowsThenCloseLeavesNoTrace() throws IOException {
        for (int i = 0; i < 20; i++) {
            try (Socket socket = connect()) {
                OutputStream out = socket.getOutputStream();
                out.write(bytes(0x40, 0x00));
                out.write(Dns.query("a.peak.test.", Type.AAAA).toWire());
                out.flush();
            }
        }
        try (Socket socket = connect()) {
            socket.getOutputStream().write(0x01); // half a length prefix
        }
        assertTcpStillAnswers();
    }

    @Test
    void tcpGarbageBodyGetsFormerrAndTheConnectionGoesOn() throws IOException {
        byte[] garbage = randomPacket(new Random(99), 300);
        garbage[2] &= 0x7F; // a query, so it deserves an answer
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            out.write(Dns.framed(garbage));
            out.flush();
            assertFormerr(garbage, Dns.readFrame(in));
            Message query = Dns.query("a.peak.test.", Type.AAAA);
            out.write(Dns.framed(query.toWire()));
            out.flush();
            assertAnswered(query, Dns.readFrame(in));
        }
    }

    @Test
    void tcpShortMessageIsDroppedAndTheConnectionGoesOn() throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            Message query = Dns.query("a.peak.test.", Type.AAAA);
            // a 3-byte message, then a real query pipelined behind it: only the query is answered
            out.write(concat(Dns.framed(bytes(1, 2, 3)), Dns.framed(query.toWire())));
            out.flush();
            assertAnswered(query, Dns.readFrame(in));
        }
    }

    @Test
    void tcpPipelinedQueriesAreAnsweredInOrder() throws IOException {
        try (Socket socket = connect()) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            Message[] queries = new Message[20];
            for (int i = 0; i < queries.length; i++) {
                queries[i] = Dns.query(i % 2 == 0 ? "a.peak.test." : "nosuch.peak.test.", Type.AAAA);
                queries[i].getHeader().setID(1000 + i);
                all.write(Dns.framed(queries[i].toWire()));
            }
            socket.getOutputStream().write(all.toByteArray());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            for (Message query : queries) {
                Message response = Dns.parse(Dns.readFrame(in));
                assertEquals(query.getHeader().getID(), response.getHeader().getID());
            }
        }
    }

    @Test
    void resetTcpConnectionsAreNotLoggedAsErrors() throws IOException {
        // Any client can reset a connection; an ERROR line for each would let it flood the log.
        List<String> errors = new CopyOnWriteArrayList<>();
        Handler counter = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(record.getLoggerName() + ": " + record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(counter);
        try {
            byte[] query = Dns.framed(Dns.query("a.peak.test.", Type.AAAA).toWire());
            for (int i = 0; i < 50; i++) {
                try (Socket socket = connect()) {
                    // the server is still answering when the reset arrives
                    for (int q = 0; q < 20; q++) {
                        socket.getOutputStream().write(query);
                    }
                    Dns.readFrame(new DataInputStream(socket.getInputStream()));
                    socket.setSoLinger(true, 0);
                }
            }
            assertTcpStillAnswers();
            assertEquals(List.of(), errors);
        } finally {
            root.removeHandler(counter);
        }
    }

    // ---- checks

    private void assertSocketStillAnswers(DatagramSocket socket) throws IOException {
        Message query = Dns.query("a.peak.test.", Type.AAAA);
        query.getHeader().setID(0xBEEF);
        byte[] wire = query.toWire();
        socket.send(new DatagramPacket(wire, wire.length, Dns.LOOPBACK, server.udpPort()));
        assertAnswered(query, receive(socket, Dns.TIMEOUT_MILLIS));
    }

    private void assertTcpStillAnswers() {
        Message query = Dns.query("a.peak.test.", Type.AAAA);
        assertAnswered(query, Dns.tcp(server.tcpPort(), query.toWire()));
    }

    private static void assertAnswered(Message query, byte[] wire) {
        assertNotNull(wire, "the server still answers");
        Message response = Dns.parse(wire);
        assertEquals(query.getHeader().getID(), response.getHeader().getID());
        assertEquals(Rcode.NOERROR, response.getRcode());
        assertEquals(1, response.getSection(Section.ANSWER).size(), response::toString);
    }

    private static void assertFormerr(byte[] packet, byte[] answer) {
        assertNotNull(answer, "FORMERR expected");
        assertTrue(answer.length >= 12);
        assertArrayEquals(Arrays.copyOf(packet, 2), Arrays.copyOf(answer, 2), "ID echoed");
        assertTrue((answer[2] & 0x80) != 0, "QR");
        assertEquals(Rcode.FORMERR, answer[3] & 0x0F);
        Message response = Dns.parse(answer);
        assertTrue(response.getHeader().getFlag(Flags.QR));
        assertEquals(0, response.getHeader().getCount(Section.ANSWER));
    }

    private static byte[] receive(DatagramSocket socket, int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        byte[] buffer = new byte[65_535];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(packet);
            return Arrays.copyOf(buffer, packet.getLength());
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(Dns.LOOPBACK, server.tcpPort()), Dns.TIMEOUT_MILLIS);
        socket.setSoTimeout(Dns.TIMEOUT_MILLIS);
        return socket;
    }

    // ---- packet building

    static byte[] header(int id, int flagsHigh, int flagsLow, int qd, int an, int ns, int ar) {
        return bytes(id >>> 8, id, flagsHigh, flagsLow, qd >>> 8, qd, an >>> 8, an, ns >>> 8, ns, ar >>> 8, ar);
    }

    static byte[] question(String name, int type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String label : name.split("\\.")) {
            out.write(label.length());
            out.writeBytes(label.getBytes());
        }
        out.write(0);
        out.writeBytes(bytes(type >>> 8, type, 0, 1));
        return out.toByteArray();
    }

    private static byte[] longLabel(int length) {
        byte[] label = new byte[length + 1];
        label[0] = (byte) length;
        Arrays.fill(label, 1, label.length, (byte) 'x');
        return concat(label, question("peak.test.", Type.AAAA));
    }

    private static byte[] longName() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 5; i++) {
            out.write(60);
            out.writeBytes("y".repeat(60).getBytes());
        }
        out.writeBytes(question("peak.test.", Type.AAAA));
        return out.toByteArray();
    }

    private static byte[] randomPacket(Random random, int length) {
        byte[] packet = new byte[length];
        random.nextBytes(packet);
        packet[2] &= 0x7F; // a query: the response bit would mean silence, tested apart
        packet[2] &= (byte) 0x87; // opcode QUERY, so FORMERR rather than NOTIMP is the only right answer
        return packet;
    }

    /** A correct query made long by an EDNS padding option (RFC 7830) of {@code padding} bytes. */
    private static byte[] paddedQuery(int padding) {
        Message query = Dns.query("a.peak.test.", Type.AAAA);
        query.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new GenericEDNSOption(EDNSOption.Code.PADDING, new byte[padding]))),
                Section.ADDITIONAL);
        return query.toWire();
    }

    private static byte[] response(byte[] packet) {
        byte[] copy = packet.clone();
        copy[2] |= (byte) 0x80;
        return copy;
    }

    static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
