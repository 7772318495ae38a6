package dev.peak.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import dev.peak.client.dns.NameServers;

/**
 * One client's DNS answers, each kept for its TTL and no longer: the TTL is how long peak-dns lets a client use
 * the server it chose, and a client that keeps an answer longer keeps sending to a server peak-dns has stopped
 * naming. A TTL of 0 is not cached.
 */
final class AnswerCache {

    private record Entry(List<InetAddress> addresses, long expiresNanos) {
    }

    private final NameServers servers;
    private final ClientMetrics metrics;
    private final LongSupplier nanoTime;
    private final Map<String, Entry> answers = new ConcurrentHashMap<>();

    AnswerCache(NameServers servers, ClientMetrics metrics, LongSupplier nanoTime) {
        this.servers = servers;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
    }

    /** {@code host}'s addresses: the cached answer while its TTL lasts, else a new one. */
    CompletableFuture<List<InetAddress>> resolve(String host) {
        Entry entry = answers.get(host);
        if (entry != null && nanoTime.getAsLong() - entry.expiresNanos < 0) {
            metrics.resolved(true, false);
            return CompletableFuture.completedFuture(entry.addresses);
        }
        return refresh(host);
    }

    /** Asks peak-dns again now, whatever the cached answer's TTL: after a failure, its choice may have changed. */
    CompletableFuture<List<InetAddress>> refresh(String host) {
        return servers.query(host).thenApply(answer -> {
            if (answer.addresses().isEmpty()) {
                throw new CompletionException(new UnknownHostException(host + ": no AAAA or A record"));
            }
            metrics.resolved(false, false);
            if (answer.ttlSeconds() > 0) {
                answers.put(host, new Entry(answer.addresses(),
                        nanoTime.getAsLong() + TimeUnit.SECONDS.toNanos(answer.ttlSeconds())));
            } else {
                answers.remove(host);
            }
            return answer.addresses();
        }).whenComplete((addresses, error) -> {
            if (error != null) {
                metrics.resolved(false, true);
                answers.remove(host);
            }
        });
    }
}
