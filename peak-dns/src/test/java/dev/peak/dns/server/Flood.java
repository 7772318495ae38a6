package dev.peak.dns.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

import dev.peak.dns.Dns;

/**
 * A paced UDP query flood on a DNS server, from each source address in turn, of random names (each an NXDOMAIN) or
 * one name repeated: counts what came back in full, what came back truncated (RRL's slip) and, by difference, what
 * was dropped. {@link #whileFlooding} meanwhile asks for a legitimate name from a source of its own.
 */
final class Flood implements Runnable {

    /** The flood lasts this long... */
    static final long MILLIS = 2_000;
    /** ...at this pace: well below what peak-dns answers on one core, a flood for the limiter, not for the machine. */
    static final int QUERIES_PER_MILLI = 20;
    /** The legitimate client's questions during a flood. */
    static final int LEGITIMATE_QUERIES = 20;

    private final InetSocketAddress server;
    private final List<String> sources;
    private final String zone;
    private final boolean randomNames;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong full = new AtomicLong();
    final AtomicLong truncated = new AtomicLong();
    long millis;

    /** A flood of {@code server}'s {@code zone} from {@code sources}, of random names or of one. */
    Flood(InetSocketAddress server, String zone, List<String> sources, boolean randomNames) {
        this.server = server;
        this.zone = zone;
        this.sources = sources;
        this.randomNames = randomNames;
    }

    /** Full answers the flood may have had at {@code rate} per prefix and second, with a burst of one second's. */
    long allowedFull(int prefixes, int rate) {
        return (long) prefixes * rate * (millis / 1_000 + 2);
    }

    /**
     * Runs this flood, meanwhile asks {@value #LEGITIMATE_QUERIES} times for {@code name} from {@code source}, and
     * returns how many of those were answered in full (NOERROR, not truncated).
     */
    int whileFlooding(String source, String name) throws InterruptedException, IOException {
        Thread flooding = new Thread(this, "flood");
        flooding.start();
        int answered = 0;
        for (int i = 0; i < LEGITIMATE_QUERIES; i++) {
            Thread.sleep(MILLIS / (LEGITIMATE_QUERIES + 5));
            byte[] reply = ask(source, Dns.query(name, Type.AAAA).toWire());
            if (reply != null && Dns.parse(reply).getRcode() == Rcode.NOERROR
                    && !Dns.parse(reply).getHeader().getFlag(Flags.TC)) {
                answered++;
            }
        }
        flooding.join();
        return answered;
    }

    /** Asks once from {@code source}; the reply, or null after a second without one. */
    byte[] ask(String source, byte[] query) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(source), 0))) {
            socket.setSoTimeout(1_000);
            socket.send(new DatagramPacket(query, query.length, server));
            byte[] buffer = new byte[4_096];
            DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
            socket.receive(answer);
            return Arrays.copyOf(buffer, answer.getLength());
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    @Override
    public void run() {
        List<DatagramSocket> sockets = new ArrayList<>();
        Thread reader = null;
        try {
            for (String source : sources) {
                sockets.add(new DatagramSocket(new InetSocketAddress(InetAddress.getByName(source), 0)));
            }
            // one reader for all: each socket polled in turn, briefly
            reader = new Thread(() -> read(sockets), "flood-reader");
            reader.start();
            long start = System.nanoTime();
            int next = 0;
            while ((System.nanoTime() - start) / 1_000_000 < MILLIS) {
                for (int i = 0; i < QUERIES_PER_MILLI; i++) {
                    String name = randomNames ? "r" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "." + zone
                            : "flood." + zone;
                    byte[] query = Dns.query(name, Type.AAAA).toWire();
                    sockets.get(next++ % sockets.size()).send(new DatagramPacket(query, query.length, server));
                    sent.incrementAndGet();
                }
                Thread.sleep(1);
            }
            millis = (System.nanoTime() - start) / 1_000_000;
            Thread.sleep(300); // the last answers
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sockets.forEach(DatagramSocket::close);
            if (reader != null) {
                try {
                    reader.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void read(List<DatagramSocket> sockets) {
        byte[] buffer = new byte[4_096];
        while (sockets.stream().anyMatch(s -> !s.isClosed())) {
            for (DatagramSocket socket : sockets) {
                try {
                    socket.setSoTimeout(1);
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    Message reply = new Message(Arrays.copyOf(buffer, packet.getLength()));
                    (reply.getHeader().getFlag(Flags.TC) ? truncated : full).incrementAndGet();
                } catch (SocketTimeoutException e) {
                    // nothing waiting on this one
                } catch (IOException e) {
                    // closed: the flood is over
                }
            }
        }
    }

    @Override
    public String toString() {
        return String.format("%d queries in %d ms, %d answered in full, %d truncated, %d dropped",
                sent.get(), millis, full.get(), truncated.get(), sent.get() - full.get() - truncated.get());
    }
}
