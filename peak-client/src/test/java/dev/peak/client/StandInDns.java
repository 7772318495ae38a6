package dev.peak.client;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A DNS server for tests (on 127.0.0.1 unless told where): answers AAAA for any name with the addresses it is given
 * (a new list may be set at any time, as peak-dns's choice changes), or with one of them per answer in turn as
 * peak-dns's round robin does; answers nothing when silenced, and counts the queries it got.
 */
public final class StandInDns implements AutoCloseable {

    private final DatagramSocket socket;
    private final Thread thread;
    private final AtomicInteger queries = new AtomicInteger();
    private volatile List<InetAddress> addresses = List.of();
    private volatile long ttl = 1;
    private volatile int rcode = Rcode.NOERROR;
    private volatile boolean silent;
    private volatile boolean oneAtATime;

    public StandInDns() throws SocketException {
        this(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    public StandInDns(InetSocketAddress bind) throws SocketException {
        socket = new DatagramSocket(bind);
        thread = new Thread(this::serve, "stand-in-dns");
        thread.setDaemon(true);
        thread.start();
    }

    /** {@code [127.0.0.1]:port}-style entry for {@code NameServers.parse}. */
    public String entry() {
        return "[127.0.0.1]:" + socket.getLocalPort();
    }

    public void answer(long ttlSeconds, InetAddress... answer) {
        this.ttl = ttlSeconds;
        this.addresses = List.of(answer);
    }

    /** Each answer names one of the addresses, the next one each time: peak-dns's round robin with k = 1. */
    public void oneAtATime() {
        this.oneAtATime = true;
    }

    public void rcode(int code) {
        this.rcode = code;
    }

    public void silence() {
        this.silent = true;
    }

    public int queries() {
        return queries.get();
    }

    private void serve() {
        byte[] buffer = new byte[512];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                int asked = queries.getAndIncrement();
                if (silent) {
                    continue;
                }
                Message response = new Message(query.getHeader().getID());
                response.getHeader().setFlag(Flags.QR);
                response.getHeader().setFlag(Flags.AA);
                response.getHeader().setRcode(rcode);
                Record question = query.getQuestion();
                response.addRecord(question, Section.QUESTION);
                if (rcode == Rcode.NOERROR && question.getType() == Type.AAAA) {
                    List<InetAddress> all = addresses;
                    List<InetAddress> answer = oneAtATime && !all.isEmpty() ? List.of(all.get(asked % all.size())) : all;
                    for (InetAddress address : answer) {
                        response.addRecord(new AAAARecord(question.getName(), DClass.IN, ttl, address), Section.ANSWER);
                    }
                }
                byte[] wire = response.toWire();
                socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (IOException e) {
                // closed, or a packet this stand-in cannot parse: tests send none
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(1_000);
    }
}
