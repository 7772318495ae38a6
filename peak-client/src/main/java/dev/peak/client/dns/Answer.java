package dev.peak.client.dns;

import java.net.InetAddress;
import java.util.List;

/**
 * A name's addresses as one DNS answer gave them, in its order (peak-dns puts its policy's choice first), and the
 * answer's TTL in seconds: the lowest of its records'.
 */
public record Answer(List<InetAddress> addresses, long ttlSeconds) {

    public Answer {
        addresses = List.copyOf(addresses);
    }
}
