package dev.peak.client;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Addresses that failed a moment ago, skipped while another one is at hand: a dead server stays in a cached answer
 * until its TTL ends, and in peak-dns's answers until its health check has failed, and without the mark each of
 * the client's requests would try it first and pay a failed attempt.
 */
final class BadAddresses {

    private final Map<InetAddress, Long> until = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    BadAddresses(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    void mark(InetAddress address, Duration forHowLong) {
        until.put(address, nanoTime.getAsLong() + forHowLong.toNanos());
    }

    boolean isBad(InetAddress address) {
        Long end = until.get(address);
        if (end == null) {
            return false;
        }
        if (nanoTime.getAsLong() - end < 0) {
            return true;
        }
        // lapsed: forget it, so the map holds only the addresses that failed lately
        until.remove(address, end);
        return false;
    }
}
