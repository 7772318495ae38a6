package dev.peak.driver.lab;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.List;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Asks a peak-dns replica the names its clients ask, as fast as it answers, so that its query path is compiled
 * before anything is measured. Its clients cannot do that: they ask once per session per TTL, a tenth of the requests
 * or fewer, so a warm-up of the servers leaves peak-dns interpreting its hot code. Measured: after a warm-up of
 * 20 000 requests (2 000 queries), peak-dns spent ~0.1 CPU at 280 queries/s, half its budget, falling over a minute
 * as it compiled; its quota then stopped it for 750 ms of a 4-s level and the first request of every session waited,
 * which added 78 ms to RI1 PEAK's p99 at half of the direct capacity.
 */
final class DnsWarmUp {

    /** HotSpot compiles a method with C2 after some 15 000 invocations (Tier4CompileThreshold). */
    static final int QUERIES = 20_000;
    private static final int TIMEOUT_MS = 1000;
    /** Queries that may go unanswered (a datagram lost, a GC pause) before the replica counts as not answering. */
    private static final int LOST_AT_MOST = 20;

    private DnsWarmUp() {
    }

    /**
     * Sends {@code queries} AAAA queries for {@code names}, in turn, to {@code replica} and waits for each answer.
     *
     * @throws LabException if the replica stops answering
     */
    static void ask(String name, InetSocketAddress replica, List<String> names, int queries) {
        byte[][] wires = names.stream().map(DnsWarmUp::query).toArray(byte[][]::new);
        byte[] answer = new byte[1232];
        int lost = 0;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::"), 0))) {
            socket.setSoTimeout(TIMEOUT_MS);
            socket.connect(replica);
            for (int i = 0; i < queries; i++) {
                byte[] wire = wires[i % wires.length];
                int id = i & 0xffff;
                wire[0] = (byte) (id >> 8);
                wire[1] = (byte) id;
                socket.send(new DatagramPacket(wire, wire.length));
                if (!answered(socket, answer, id) && ++lost > LOST_AT_MOST) {
                    throw new LabException(name + " stopped answering while it was warmed up: " + lost
                            + " of " + (i + 1) + " queries got no answer within " + TIMEOUT_MS + " ms");
                }
            }
        } catch (IOException e) {
            throw new LabException("cannot warm " + name + " up at " + replica + ": " + e.getMessage(), e);
        }
    }

    /** Waits for the answer to query {@code id}; answers to earlier queries that timed out are skipped. */
    private static boolean answered(DatagramSocket socket, byte[] buffer, int id) throws IOException {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            do {
                socket.receive(packet);
            } while (packet.getLength() < 2 || ((buffer[0] & 0xff) << 8 | buffer[1] & 0xff) != id);
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private static byte[] query(String name) {
        try {
            return Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), Type.AAAA, DClass.IN)).toWire();
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + name, e);
        }
    }
}
