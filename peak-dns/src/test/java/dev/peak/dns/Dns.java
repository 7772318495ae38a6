package dev.peak.dns;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;

/**
 * A DNS client for tests, talking to peak-dns on ::1 only: dnsjava's SimpleResolver where a real
 * client's view is wanted, raw sockets where the bytes themselves are under test.
 */
public final class Dns {

    public static final InetAddress LOOPBACK;
    public static final int TIMEOUT_MILLIS = 2_000;

    static {
        try {
            LOOPBACK = InetAddress.getByName("::1");
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private Dns() {
    }

    /** A resolver asking peak-dns over UDP or TCP, with dnsjava's default EDNS (payload 1280). */
    public static SimpleResolver resolver(int port, boolean tcp) {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(LOOPBACK, port));
        resolver.setTCP(tcp);
        resolver.setTimeout(Duration.ofMillis(TIMEOUT_MILLIS));
        return resolver;
    }

    public static Message ask(int port, boolean tcp, String name, int type) {
        try {
            return resolver(port, tcp).send(query(name, type));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Message query(String name, int type) {
        return Message.newQuery(Record.newRecord(name(name), type, DClass.IN));
    }

    public static Name name(String name) {
        try {
            return Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The addresses in the answer section, as text. */
    public static List<String> addresses(Message response) {
        return response.getSection(Section.ANSWER).stream().map(r -> r.rdataToString()).toList();
    }

    /** An address literal as dnsjava prints it in rdata (IPv6 compressed, lower case). */
    public static String printed(String address) {
        try {
            InetAddress parsed = InetAddress.getByName(address);
            return parsed instanceof java.net.Inet6Address
                    ? new AAAARecord(Name.root, DClass.IN, 0, parsed).rdataToString()
                    : parsed.getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** One UDP exchange from a fresh socket; null when nothing came back in time. */
    public static byte[] udp(int port, byte[] packet) {
        return udp(port, packet, TIMEOUT_MILLIS);
    }

    public static byte[] udp(int port, byte[] packet, int timeoutMillis) {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            socket.setSoTimeout(timeoutMillis);
            socket.send(new DatagramPacket(packet, packet.length, LOOPBACK, port));
            byte[] buffer = new byte[65_535];
            DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
            socket.receive(answer);
            return Arrays.copyOf(buffer, answer.getLength());
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One TCP exchange on a fresh connection (RFC 1035 §4.2.2 length prefix); null when none came back. */
    public static byte[] tcp(int port, byte[] packet) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(framed(packet));
            out.flush();
            return readFrame(new DataInputStream(socket.getInputStream()));
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] framed(byte[] packet) {
        byte[] framed = new byte[packet.length + 2];
        framed[0] = (byte) (packet.length >>> 8);
        framed[1] = (byte) packet.length;
        System.arraycopy(packet, 0, framed, 2, packet.length);
        return framed;
    }

    /** Reads one length-prefixed message; null at end of stream. */
    public static byte[] readFrame(DataInputStream in) throws IOException {
        int length;
        try {
            length = in.readUnsignedShort();
        } catch (EOFException e) {
            return null;
        }
        byte[] message = new byte[length];
        in.readFully(message);
        return message;
    }

    public static Message parse(byte[] wire) {
        try {
            return new Message(wire);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
