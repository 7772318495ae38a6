package dev.peak.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How hard one request tries. At most {@code maxAttempts} sends per request, whatever fails, so a fault cannot
 * multiply the load on the servers left by more than that. Moving to the next address of an answer costs nothing;
 * asking peak-dns again, once the answer is used up, first waits a random time between 0 and
 * {@code backoff × 2^n} for the n-th such round ("full jitter"), so clients that failed together do not come back
 * together.
 *
 * @param maxAttempts    sends per request, the first included; 1 turns failover off
 * @param backoff        the ceiling of the first wait before asking peak-dns again
 * @param badFor         how long an address that failed is skipped while another is at hand
 * @param maxRetryAfter  the longest a 503's {@code Retry-After} may keep an address skipped
 */
public record Failover(int maxAttempts, Duration backoff, Duration badFor, Duration maxRetryAfter) {

    /** Three attempts: the address that failed, another one, and one more after asking peak-dns again. */
    public static final Failover DEFAULT = new Failover(3, Duration.ofMillis(10), Duration.ofSeconds(5),
            Duration.ofSeconds(30));
    /** One attempt, no failover: what a client without this library does. */
    public static final Failover NONE = new Failover(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public Failover {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (backoff.isNegative() || badFor.isNegative() || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("failover durations must not be negative");
        }
    }

    public Failover withMaxAttempts(int attempts) {
        return new Failover(attempts, backoff, badFor, maxRetryAfter);
    }

    /** The wait before the {@code round}-th new question to peak-dns of one request (0-based). */
    long jitteredBackoffNanos(int round) {
        long ceiling = backoff.toNanos() << Math.min(round, 20);
        return ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1);
    }
}
