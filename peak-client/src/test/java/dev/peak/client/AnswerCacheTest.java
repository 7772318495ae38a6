package dev.peak.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.peak.client.dns.Addresses;
import dev.peak.client.dns.NameServers;

class AnswerCacheTest {

    private static final InetAddress ONE = Addresses.literal("fd00:70ea::a1");
    private static final InetAddress TWO = Addresses.literal("fd00:70ea::a2");

    @Test
    void answerIsKeptForItsTtlAndNotAMomentLonger() throws Exception {
        AtomicLong now = new AtomicLong();
        try (StandInDns dns = new StandInDns()) {
            dns.answer(2, ONE);
            AnswerCache cache = new AnswerCache(NameServers.parse(dns.entry(), Duration.ofSeconds(1)),
                    ClientMetrics.NONE, now::get);

            assertEquals(List.of(ONE), cache.resolve("a.peak.test").join());
            dns.answer(2, TWO);
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1_999));
            assertEquals(List.of(ONE), cache.resolve("a.peak.test").join());
            assertEquals(1, dns.queries());

            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
            assertEquals(List.of(TWO), cache.resolve("a.peak.test").join());
            assertEquals(2, dns.queries());
        }
    }

    @Test
    void zeroTtlIsNeverCached() throws Exception {
        try (StandInDns dns = new StandInDns()) {
            dns.answer(0, ONE);
            AnswerCache cache = new AnswerCache(NameServers.parse(dns.entry(), Duration.ofSeconds(1)),
                    ClientMetrics.NONE, System::nanoTime);
            cache.resolve("a.peak.test").join();
            cache.resolve("a.peak.test").join();
            assertEquals(2, dns.queries());
        }
    }

    @Test
    void namesAreCachedApart() throws Exception {
        try (StandInDns dns = new StandInDns()) {
            dns.answer(60, ONE);
            AnswerCache cache = new AnswerCache(NameServers.parse(dns.entry(), Duration.ofSeconds(1)),
                    ClientMetrics.NONE, System::nanoTime);
            cache.resolve("a.peak.test").join();
            dns.answer(60, TWO);
            assertEquals(List.of(TWO), cache.resolve("b.peak.test").join());
            assertEquals(List.of(ONE), cache.resolve("a.peak.test").join());
        }
    }
}
