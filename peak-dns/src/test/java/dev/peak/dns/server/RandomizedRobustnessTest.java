package dev.peak.dns.server;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

import dev.peak.dns.Dns;
import dev.peak.dns.LoopbackLab;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A seeded storm of valid, mutated and random packets (docs/architecture.md: peak-dns, Abuse: a malformed packet never
 * kills or stalls the server). The loop is paced by a marker query after every batch, sent from the
 * same socket: its answer proves every packet before it was handled, so the socket buffers never just
 * drop the storm, and a server that stopped answering is noticed within one batch.
 */
@QuarkusTest
@WithTestResource(LoopbackLab.class)
class RandomizedRobustnessTest {

    private static final long SEED = 0x5EEDL;
    private static final int PACKETS = 100_000;
    private static final int BATCH = 200;
    private static final int MARKER_TRIES = 5;
    private static final Pattern SERVFAILS = Pattern.compile("(?m)^peak_dns_responses_total\\{rcode=\"SERVFAIL\"} ([0-9.E]+)$");

    @Inject
    DnsServer server;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void hundredThousandRandomPacketsNeverStopTheServer() throws IOException {
        double servfailsBefore = servfails();
        PacketFuzzer fuzzer = new PacketFuzzer(SEED);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(75);
        int lostMarkers = 0;
        int sent = 0;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(Dns.LOOPBACK, 0))) {
            socket.setReceiveBufferSize(1 << 20);
            byte[] buffer = new byte[65_535];
            while (sent < PACKETS) {
                assertTrue(System.nanoTime() < deadline, "the storm took too long: " + sent + " packets sent");
                for (int i = 0; i < BATCH && sent < PACKETS; i++, sent++) {
                    byte[] packet = fuzzer.next();
                    socket.send(new DatagramPacket(packet, packet.length, Dns.LOOPBACK, server.udpPort()));
                }
                lostMarkers += awaitMarker(socket, buffer, sent);
            }
        }
        // A lost marker now and then is UDP; many means the server stalls.
        assertTrue(lostMarkers < PACKETS / BATCH / 20, lostMarkers + " markers needed a retry");

        for (int i = 0; i < 8; i++) { // fresh sockets land on either of the server's UDP sockets
            Message response = Dns.ask(server.udpPort(), false, "a." + LoopbackLab.ZONE, Type.AAAA);
            assertEquals(Rcode.NOERROR, response.getRcode());
            assertEquals(1, Dns.addresses(response).size());
        }
        assertEquals(1, Dns.addresses(Dns.ask(server.tcpPort(), true, "a." + LoopbackLab.ZONE, Type.AAAA)).size());
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        assertEquals(servfailsBefore, servfails(), "a SERVFAIL means answering some query threw");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void randomTcpStreamsNeverStopTheServer() throws IOException {
        PacketFuzzer fuzzer = new PacketFuzzer(SEED + 1);
        Random random = new Random(SEED + 2);
        for (int connection = 0; connection < 300; connection++) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(Dns.LOOPBACK, server.tcpPort()), Dns.TIMEOUT_MILLIS);
                socket.setSoLinger(true, 0); // reset rather than linger: 300 connections in TIME_WAIT are pointless
                OutputStream out = socket.getOutputStream();
                for (int frame = random.nextInt(20); frame > 0; frame--) {
                    byte[] packet = fuzzer.next();
                    out.write(random.nextInt(10) == 0 ? fuzzer.randomBytes(random.nextInt(100)) : Dns.framed(packet));
                }
                out.flush();
            } catch (IOException e) {
                // the server may close on a zero length prefix while we still write: that is its right
            }
        }
        Message query = Dns.query("a." + LoopbackLab.ZONE, Type.AAAA);
        byte[] answer = Dns.tcp(server.tcpPort(), query.toWire());
        assertNotNull(answer, "TCP still answers");
        assertEquals(1, Dns.addresses(Dns.parse(answer)).size());
    }

    /** Sends a marker query and reads until its answer; returns how many retries that took. */
    private int awaitMarker(DatagramSocket socket, byte[] buffer, int sent) throws IOException {
        Message marker = Dns.query("marker." + LoopbackLab.ZONE, Type.AAAA);
        int id = marker.getHeader().getID();
        byte[] wire = marker.toWire();
        byte[] question = Arrays.copyOfRange(wire, 12, wire.length);
        for (int attempt = 0; attempt < MARKER_TRIES; attempt++) {
            socket.send(new DatagramPacket(wire, wire.length, Dns.LOOPBACK, server.udpPort()));
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_000);
            socket.setSoTimeout(1_000);
            try {
                while (System.nanoTime() < until) {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    if (isAnswerTo(id, question, buffer, packet.getLength())) {
                        return attempt;
                    }
                }
            } catch (SocketTimeoutException e) {
                // try again
            }
        }
        fail("no answer to a normal query after " + sent + " packets (seed " + SEED + ")");
        return MARKER_TRIES;
    }

    private static boolean isAnswerTo(int id, byte[] question, byte[] buffer, int length) {
        if (length < 12 + question.length || ((buffer[0] & 0xFF) << 8 | buffer[1] & 0xFF) != id || (buffer[2] & 0x80) == 0) {
            return false;
        }
        return Arrays.equals(question, 0, question.length, buffer, 12, 12 + question.length);
    }

    private static double servfails() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = SERVFAILS.matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
