package dev.peak.dns.rrl;

import static dev.peak.dns.rrl.ResponseRateLimiter.Verdict.DROP;
import static dev.peak.dns.rrl.ResponseRateLimiter.Verdict.SEND;
import static dev.peak.dns.rrl.ResponseRateLimiter.Verdict.SLIP;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.peak.dns.rrl.ResponseRateLimiter.Verdict;

class ResponseRateLimiterTest {

    private static final long MILLIS = 1_000_000L;

    // Starts far from zero and negative, as System.nanoTime may: only differences of it mean anything.
    private final AtomicLong clock = new AtomicLong(-7_000_000_000L);

    @Test
    void clientWithinRateIsNeverLimited() {
        ResponseRateLimiter rrl = limiter(10, 2, 100);
        for (int i = 0; i < 1_000; i++) {
            assertEquals(SEND, rrl.check(ip("2001:db8::1")), "response " + i);
            advanceMillis(100);
        }
    }

    @Test
    void burstAboveRateIsLimited() {
        ResponseRateLimiter rrl = limiter(10, 0, 100);
        assertEquals(Collections.nCopies(10, SEND), checks(rrl, "2001:db8::1", 10));
        assertEquals(Collections.nCopies(10, DROP), checks(rrl, "2001:db8::1", 10));
    }

    @Test
    void tokensRefillOverTime() {
        ResponseRateLimiter rrl = limiter(10, 0, 100);
        checks(rrl, "2001:db8::1", 10);
        assertEquals(DROP, rrl.check(ip("2001:db8::1")));

        advanceMillis(100);
        assertEquals(List.of(SEND, DROP), checks(rrl, "2001:db8::1", 2), "one token per 1/rate seconds");

        advanceMillis(350);
        assertEquals(List.of(SEND, SEND, SEND, DROP), checks(rrl, "2001:db8::1", 4), "refill is continuous");
    }

    @Test
    void burstNeverExceedsOneSecondOfRate() {
        ResponseRateLimiter rrl = limiter(10, 0, 100);
        rrl.check(ip("2001:db8::1"));
        advanceMillis(3_600_000);
        List<Verdict> afterAnHour = checks(rrl, "2001:db8::1", 11);
        assertEquals(10, Collections.frequency(afterAnHour, SEND));
        assertEquals(DROP, afterAnHour.get(10));
    }

    @Test
    void refillSurvivesNanoTimeWraparound() {
        clock.set(Long.MAX_VALUE - 50 * MILLIS);
        ResponseRateLimiter rrl = limiter(10, 0, 100);
        checks(rrl, "2001:db8::1", 10);
        advanceMillis(100);
        assertTrue(clock.get() < 0, "the clock has wrapped");
        assertEquals(List.of(SEND, DROP), checks(rrl, "2001:db8::1", 2));
    }

    @Test
    void clockReadOutOfOrderAddsNoTokens() {
        // Event loops read the clock before taking the lock, so a call may arrive with an older time.
        ResponseRateLimiter rrl = limiter(10, 0, 100);
        checks(rrl, "2001:db8::1", 10);
        advanceMillis(-1_000);
        assertEquals(DROP, rrl.check(ip("2001:db8::1")));
        advanceMillis(1_000);
        assertEquals(DROP, rrl.check(ip("2001:db8::1")), "no time has passed since the bucket was emptied");
    }

    @Test
    void longIdleGapRefillsExactlyOneBurst() {
        ResponseRateLimiter rrl = limiter(100_000, 0, 100);
        checks(rrl, "2001:db8::1", 100_000);
        advanceMillis(365L * 24 * 3600 * 1000); // a year of nanoseconds × rate would overflow a long
        List<Verdict> afterAYear = checks(rrl, "2001:db8::1", 100_001);
        assertEquals(100_000, Collections.frequency(afterAYear, SEND));
        assertEquals(DROP, afterAYear.get(100_000));
    }

    @Test
    void everySlipThLimitedResponseSlips() {
        ResponseRateLimiter rrl = limiter(5, 3, 100);
        checks(rrl, "2001:db8::1", 5);
        assertEquals(List.of(DROP, DROP, SLIP, DROP, DROP, SLIP, DROP), checks(rrl, "2001:db8::1", 7));
    }

    @Test
    void slipIsCountedPerPrefix() {
        ResponseRateLimiter rrl = limiter(1, 2, 100);
        checks(rrl, "2001:db8:0:100::1", 2);
        checks(rrl, "2001:db8:0:200::1", 1);
        assertEquals(DROP, rrl.check(ip("2001:db8:0:200::1")), "the other prefix's first limited response");
        assertEquals(SLIP, rrl.check(ip("2001:db8:0:100::1")));
    }

    @Test
    void slipZeroDropsAll() {
        ResponseRateLimiter rrl = limiter(5, 0, 100);
        checks(rrl, "2001:db8::1", 5);
        assertEquals(Collections.nCopies(100, DROP), checks(rrl, "2001:db8::1", 100));
    }

    @Test
    void slipOneSlipsAll() {
        ResponseRateLimiter rrl = limiter(5, 1, 100);
        checks(rrl, "2001:db8::1", 5);
        assertEquals(Collections.nCopies(100, SLIP), checks(rrl, "2001:db8::1", 100));
    }

    @Test
    void clientsInSameIpv6Slash56ShareABucket() {
        ResponseRateLimiter rrl = limiter(2, 0, 100);
        assertEquals(SEND, rrl.check(ip("2001:db8:0:ab00::1")));
        assertEquals(SEND, rrl.check(ip("2001:db8:0:abff:ffff:ffff:ffff:ffff")));
        assertEquals(DROP, rrl.check(ip("2001:db8:0:ab12::53")));
        assertEquals(1, rrl.trackedPrefixes());
    }

    @Test
    void clientsInDifferentSlash56AreIndependent() {
        ResponseRateLimiter rrl = limiter(2, 0, 100);
        checks(rrl, "2001:db8:0:ab00::1", 3);
        assertEquals(SEND, rrl.check(ip("2001:db8:0:ac00::1")), "neighbouring /56");
        assertEquals(SEND, rrl.check(ip("2001:db9:0:ab00::1")), "same low bits, other /32");
        assertEquals(3, rrl.trackedPrefixes());
    }

    @Test
    void ipv4GroupedBySlash24() {
        ResponseRateLimiter rrl = limiter(2, 0, 100);
        assertEquals(SEND, rrl.check(ip("192.0.2.1")));
        assertEquals(SEND, rrl.check(ip("192.0.2.254")));
        assertEquals(DROP, rrl.check(ip("192.0.2.77")));
        assertEquals(SEND, rrl.check(ip("192.0.3.1")), "neighbouring /24");
        assertEquals(2, rrl.trackedPrefixes());
    }

    @Test
    void ipv4MappedIpv6CountsAsIpv4() throws UnknownHostException {
        // InetAddress.getByName would turn ::ffff:192.0.2.9 into an Inet4Address; a socket may not.
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 9};
        InetAddress mappedClient = Inet6Address.getByAddress(null, mapped, -1);
        assertInstanceOf(Inet6Address.class, mappedClient);

        ResponseRateLimiter rrl = limiter(2, 0, 100);
        assertEquals(SEND, rrl.check(ip("192.0.2.1")));
        assertEquals(SEND, rrl.check(mappedClient));
        assertEquals(DROP, rrl.check(ip("192.0.2.200")));
        assertEquals(1, rrl.trackedPrefixes());
    }

    @Test
    void ipv4AndIpv6NeverShareABucket() {
        ResponseRateLimiter rrl = limiter(1, 0, 100);
        // The /56 0:0:c000:2xx:: has the same 24 low key bits as 192.0.2.0/24; only the family tag differs.
        assertEquals(SEND, rrl.check(ip("192.0.2.1")));
        assertEquals(SEND, rrl.check(ip("0:0:c000:200::1")));
        assertEquals(2, rrl.trackedPrefixes());
    }

    @Test
    void zeroRateDisablesLimiting() {
        ResponseRateLimiter rrl = limiter(0, 2, 1);
        Random random = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            assertEquals(SEND, rrl.check(i % 2 == 0 ? ip("2001:db8::1") : randomClient(random)));
        }
        assertEquals(0, rrl.trackedPrefixes(), "no state is kept");
    }

    @Test
    void trackedPrefixesNeverExceedBound() {
        int bound = 1_003; // not a multiple of the set size, so sets differ in size
        ResponseRateLimiter rrl = limiter(10, 2, bound);
        Random random = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            assertEquals(SEND, rrl.check(randomClient(random)), "a new prefix starts with a full bucket");
            assertTrue(rrl.trackedPrefixes() <= bound, "tracked " + rrl.trackedPrefixes() + " after " + i);
            if (i % 100 == 0) {
                advanceMillis(1);
            }
        }
        assertEquals(bound, rrl.trackedPrefixes(), "the spray filled the table, every slot of it");
    }

    @Test
    void heavyClientKeepsStateWhileIdleOnesAreEvicted() {
        ResponseRateLimiter rrl = limiter(10, 0, 8);
        checks(rrl, "2001:db8:aa::1", 10);
        assertEquals(DROP, rrl.check(ip("2001:db8:aa::1")));

        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            rrl.check(randomClient(random));
        }

        assertEquals(8, rrl.trackedPrefixes());
        assertEquals(DROP, rrl.check(ip("2001:db8:aa::1")), "the spray did not reset the heavy client's bucket");
    }

    @Test
    void evictionPrefersIdleBucketOverLeastRecentlySeen() {
        ResponseRateLimiter rrl = limiter(10, 0, 2);
        checks(rrl, "2001:db8:a::1", 5);
        advanceMillis(200);
        checks(rrl, "2001:db8:b::1", 1);
        advanceMillis(100);
        // Now b's bucket is full again (idle) while a, seen longer ago, is still 2 tokens short.
        rrl.check(ip("2001:db8:c::1"));

        List<Verdict> a = checks(rrl, "2001:db8:a::1", 9);
        assertEquals(8, Collections.frequency(a, SEND), "a kept its bucket (8 tokens), so b was the one evicted");
        assertEquals(DROP, a.get(8));
    }

    @Test
    @Timeout(10)
    void concurrentChecksKeepBound() throws Exception {
        int bound = 500;
        ResponseRateLimiter rrl = limiter(5, 2, bound);
        List<Callable<Void>> sprayers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Random random = new Random(t);
            sprayers.add(() -> {
                for (int i = 0; i < 50_000; i++) {
                    rrl.check(i % 3 == 0 ? ip("2001:db8:aa::1") : randomClient(random));
                    if (i % 64 == 0) {
                        advanceMillis(1);
                    }
                    assertTrue(rrl.trackedPrefixes() <= bound);
                }
                return null;
            });
        }
        runTogether(sprayers);
        assertEquals(bound, rrl.trackedPrefixes());
    }

    @Test
    @Timeout(10)
    void concurrentChecksNeverSpendMoreTokensThanTheBucketHolds() throws Exception {
        ResponseRateLimiter rrl = limiter(1_000, 0, 100);
        List<Callable<Integer>> clients = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            InetAddress host = ip("2001:db8::" + (t + 1));
            clients.add(() -> Collections.frequency(
                    IntStream.range(0, 1_000).mapToObj(i -> rrl.check(host)).toList(), SEND));
        }
        int sent = 0;
        for (int perThread : runTogether(clients)) {
            sent += perThread;
        }
        assertEquals(1_000, sent, "4 threads × 1000 checks on one /56 with the clock stopped");
    }

    @ParameterizedTest(name = "responsesPerSecond={0} slip={1} maxPrefixes={2} -> {3}")
    @CsvSource({
        "0,   0,  1,       ok",
        "0,   2,  100000,  ok",
        "100, 1,  1,       ok",
        "100, 2,  100000,  ok",
        "-1,  2,  100,     'responsesPerSecond must be >= 0 (0 disables limiting), got -1'",
        "100, -1, 100,     'slip must be >= 0 (0 never slips), got -1'",
        "100, 2,  0,       'maxPrefixes must be >= 1, got 0'",
        "100, 2,  -5,      'maxPrefixes must be >= 1, got -5'",
        "0,   2,  0,       'maxPrefixes must be >= 1, got 0'",
    })
    void constructorValidatesArguments(int responsesPerSecond, int slip, int maxPrefixes, String error) {
        if (error.equals("ok")) {
            assertDoesNotThrow(() -> new ResponseRateLimiter(responsesPerSecond, slip, maxPrefixes, clock::get));
        } else {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new ResponseRateLimiter(responsesPerSecond, slip, maxPrefixes, clock::get));
            assertEquals(error, e.getMessage());
        }
    }

    @Test
    void constructorRejectsMissingClock() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> new ResponseRateLimiter(10, 2, 100, null));
        assertEquals("nanoClock", e.getMessage());
    }

    private ResponseRateLimiter limiter(int responsesPerSecond, int slip, int maxPrefixes) {
        return new ResponseRateLimiter(responsesPerSecond, slip, maxPrefixes, clock::get);
    }

    private void advanceMillis(long millis) {
        clock.addAndGet(millis * MILLIS);
    }

    private static List<Verdict> checks(ResponseRateLimiter rrl, String client, int count) {
        InetAddress address = ip(client);
        List<Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            verdicts.add(rrl.check(address));
        }
        return verdicts;
    }

    /** Mostly IPv6, some IPv4: a spoofing attacker's random sources. */
    private static InetAddress randomClient(Random random) {
        byte[] address = new byte[random.nextInt(4) == 0 ? 4 : 16];
        random.nextBytes(address);
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Starts all tasks at once, so they really overlap, and returns their results. */
    private static <T> List<T> runTogether(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(10, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
