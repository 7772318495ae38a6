package dev.peak.dns.rrl;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/** Response rate limiting (RRL) of UDP answers: a token bucket per client prefix, with slip, in a table of fixed size. */
public final class ResponseRateLimiter {

    public enum Verdict { SEND, DROP, SLIP }

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /**
     * Tokens are fixed-point with one token worth a second of nanoseconds, so a refill is the exact integer
     * {@code elapsedNanos * rate}: no rounding drift, and at most 2 × Integer.MAX_VALUE × 1e9 fits a long.
     */
    private static final long ONE_TOKEN = NANOS_PER_SECOND;
    /** Entries per set: enough that one busy set rarely forces an eviction, few enough to scan on every call. */
    private static final int WAYS = 8;
    private static final int MAX_LOCKS = 256;
    /** Set on IPv4 keys only; IPv6 keys use the low 56 bits, so the two families never collide. */
    private static final long IPV4_TAG = 1L << 56;
    /** Bit 63 is never set in a real key. */
    private static final long EMPTY = -1L;

    private final int rate;
    private final int slip;
    private final LongSupplier nanoClock;
    private final long capacity;
    private final int maxPrefixes;
    private final int sets;
    /** Random per instance so that nobody can aim spoofed prefixes at the set holding a given client. */
    private final long hashSeed;

    // Parallel arrays of primitives instead of a map of objects: a fixed footprint (28 bytes per prefix),
    // no boxing and no allocation per call. Slot i belongs to exactly one set, and each set to one lock.
    private final long[] keys;
    private final long[] tokens;
    private final long[] lastSeen;
    private final int[] limitedCount;
    private final Object[] locks;
    private final AtomicInteger tracked = new AtomicInteger();

    /**
     * The table is allocated here, up front: about 28 bytes per prefix (2.8 MB for 100 000), nothing when
     * {@code responsesPerSecond} is 0.
     *
     * @param responsesPerSecond allowed UDP responses per second per client prefix; 0 disables limiting (always SEND)
     * @param slip every slip-th limited response is SLIP (sent truncated, TC=1, so a real client retries over TCP);
     *     0 = never slip (drop all), 1 = slip all
     * @param maxPrefixes bound on tracked client prefixes (memory bound); must be >= 1
     * @param nanoClock e.g. System::nanoTime (injectable for tests)
     * @throws IllegalArgumentException if a count is out of range
     */
    public ResponseRateLimiter(int responsesPerSecond, int slip, int maxPrefixes, LongSupplier nanoClock) {
        if (responsesPerSecond < 0) {
            throw new IllegalArgumentException(
                    "responsesPerSecond must be >= 0 (0 disables limiting), got " + responsesPerSecond);
        }
        if (slip < 0) {
            throw new IllegalArgumentException("slip must be >= 0 (0 never slips), got " + slip);
        }
        if (maxPrefixes < 1) {
            throw new IllegalArgumentException("maxPrefixes must be >= 1, got " + maxPrefixes);
        }
        this.rate = responsesPerSecond;
        this.slip = slip;
        this.maxPrefixes = maxPrefixes;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.capacity = responsesPerSecond * ONE_TOKEN;
        // Sets of 8 to 15 slots that together hold exactly maxPrefixes; below 16 one set holds them all.
        this.sets = Math.max(1, maxPrefixes / WAYS);
        this.hashSeed = new SecureRandom().nextLong();
        if (responsesPerSecond == 0) {
            keys = null;
            tokens = null;
            lastSeen = null;
            limitedCount = null;
            locks = null;
            return;
        }
        keys = new long[maxPrefixes];
        Arrays.fill(keys, EMPTY);
        tokens = new long[maxPrefixes];
        lastSeen = new long[maxPrefixes];
        limitedCount = new int[maxPrefixes];
        locks = new Object[Math.min(sets, MAX_LOCKS)];
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    /**
     * Decides for one UDP response to this client. Thread-safe; called on several event loops at once; must be
     * cheap (no allocation per call beyond what is unavoidable; no locks held long).
     */
    public Verdict check(InetAddress client) {
        Objects.requireNonNull(client, "client");
        if (rate == 0) {
            return Verdict.SEND;
        }
        long key = prefixKey(client);
        int set = setOf(key);
        int from = setStart(set);
        int to = setStart(set + 1);
        // Read outside the lock: a clock call can cost more than the whole critical section.
        long now = nanoClock.getAsLong();
        synchronized (locks[set % locks.length]) {
            return spend(slotFor(key, from, to, now), now);
        }
    }

    /**
     * Currently tracked prefixes (for a gauge and for tests). Entries are recycled, never freed, so after a
     * spray of sources this stays at {@code maxPrefixes}: it says how full the table is.
     */
    public int trackedPrefixes() {
        return tracked.get();
    }

    /** IPv6 /56 as its first 7 bytes; IPv4 (also IPv4-mapped IPv6) /24 as its first 3 bytes plus a tag bit. */
    private static long prefixKey(InetAddress client) {
        // The one allocation per call: InetAddress hands out its bytes only as a fresh copy.
        byte[] a = client.getAddress();
        if (a.length == 4) {
            return ipv4Key(a, 0);
        }
        if (isIpv4Mapped(a)) {
            return ipv4Key(a, 12);
        }
        long key = 0;
        for (int i = 0; i < 7; i++) {
            key = key << 8 | (a[i] & 0xff);
        }
        return key;
    }

    private static long ipv4Key(byte[] a, int at) {
        return IPV4_TAG | (a[at] & 0xff) << 16 | (a[at + 1] & 0xff) << 8 | (a[at + 2] & 0xff);
    }

    /** ::ffff:a.b.c.d, which a dual-stack socket reports for IPv4 clients. */
    private static boolean isIpv4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private int setOf(long key) {
        long h = mix(key ^ hashSeed);
        // Maps the top 31 bits onto [0, sets) without a division.
        return (int) (((h >>> 33) * sets) >>> 31);
    }

    /** SplitMix64's finaliser: neighbouring prefixes land in unrelated sets. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private int setStart(int set) {
        return (int) ((long) set * maxPrefixes / sets);
    }

    /** The slot holding this prefix, claiming one if it has none. Caller holds the set's lock. */
    private int slotFor(long key, int from, int to, long now) {
        for (int i = from; i < to; i++) {
            long k = keys[i];
            if (k == key) {
                return i;
            }
            if (k == EMPTY) {
                // A set fills front to back and slots are never emptied, so the key is not further on.
                tracked.incrementAndGet();
                return claim(i, key, now);
            }
        }
        return claim(cheapestToForget(from, to, now), key, now);
    }

    /**
     * Evicts by cost rather than age. A new entry starts with a full bucket, so forgetting an entry hands its
     * prefix (capacity - tokens) extra responses. Entries whose bucket is full again (idle clients) cost
     * nothing and go first; a prefix being limited right now (a heavy client, or the spoofed victim of a
     * reflection attack) has the emptiest bucket and goes last. So a spray of one-shot random sources recycles
     * its own entries instead of resetting the limit on the very traffic RRL exists to stop. Ties (e.g. all
     * idle) go to the least recently seen. Scans one set only: O(WAYS) per call whatever the table size.
     */
    private int cheapestToForget(int from, int to, long now) {
        int victim = from;
        long victimTokens = -1;
        for (int i = from; i < to; i++) {
            long t = refilled(tokens[i], now - lastSeen[i]);
            if (t > victimTokens || (t == victimTokens && lastSeen[i] - lastSeen[victim] < 0)) {
                victim = i;
                victimTokens = t;
            }
        }
        return victim;
    }

    private int claim(int slot, long key, long now) {
        keys[slot] = key;
        tokens[slot] = capacity;
        lastSeen[slot] = now;
        limitedCount[slot] = 0;
        return slot;
    }

    private Verdict spend(int slot, long now) {
        // Compared as a difference: nanoTime may wrap, and another event loop may have read a later time
        // before taking the lock, in which case this call adds nothing rather than moving time backwards.
        long elapsed = now - lastSeen[slot];
        if (elapsed > 0) {
            tokens[slot] = refilled(tokens[slot], elapsed);
            lastSeen[slot] = now;
        }
        if (tokens[slot] >= ONE_TOKEN) {
            tokens[slot] -= ONE_TOKEN;
            return Verdict.SEND;
        }
        if (slip == 0) {
            return Verdict.DROP;
        }
        if (++limitedCount[slot] < slip) {
            return Verdict.DROP;
        }
        limitedCount[slot] = 0;
        return Verdict.SLIP;
    }

    /** Continuous refill at rate tokens per second, capped at one second's worth (the burst). */
    private long refilled(long current, long elapsedNanos) {
        if (elapsedNanos <= 0) {
            return current;
        }
        // Clamped first: a second refills any bucket, and the product then cannot overflow.
        return Math.min(capacity, current + Math.min(elapsedNanos, NANOS_PER_SECOND) * rate);
    }
}
