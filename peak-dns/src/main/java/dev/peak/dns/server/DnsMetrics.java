package dev.peak.dns.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import org.xbill.DNS.Rcode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * peak-dns's own counters. Every label takes values from a small fixed set (rcodes, reasons,
 * verdicts): nothing per client, so the number of series stays bounded whatever arrives.
 */
@Singleton // called per query: an @ApplicationScoped client proxy looks its bean up on every call (profiled)
public class DnsMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    /**
     * The per-answer counters by rcode, found by index: {@link #answered} runs for every query, where
     * building a map key per call showed in profiles. A race fills a slot twice with the same meter.
     */
    private final Counter[] byRcode = new Counter[32];

    public DnsMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One answer sent (before rate limiting), by response code. */
    public void answered(int rcode) {
        if (rcode < 0 || rcode >= byRcode.length) {
            count("peak.dns.responses", "rcode", Rcode.string(rcode), "Answers built, by response code");
            return;
        }
        Counter counter = byRcode[rcode];
        if (counter == null) {
            counter = counter("peak.dns.responses", "rcode", Rcode.string(rcode), "Answers built, by response code");
            byRcode[rcode] = counter;
        }
        counter.increment();
    }

    /** A UDP answer was cut to fit and carries TC. */
    public void truncated() {
        count("peak.dns.responses.truncated", null, null, "UDP answers truncated (TC set) for the client to retry over TCP");
    }

    /** A packet that got no answer, and why (a small fixed set of reasons). */
    public void dropped(String reason) {
        count("peak.dns.dropped", "reason", reason, "Packets answered with nothing");
    }

    /** Response rate limiting acted: the answer was dropped or slipped (sent truncated). */
    public void rateLimited(String verdict) {
        count("peak.dns.rrl", "verdict", verdict, "Answers withheld by response rate limiting");
    }

    /** A TCP connection stopped being read because its client leaves its answers unread (TcpTransport). */
    public void tcpReadingPaused() {
        count("peak.dns.tcp.paused", null, null, "Times a TCP connection stopped being read until its client takes the answers queued for it");
    }

    /** A write to the registry API, by outcome: accepted, unauthorized, forbidden, rate_limited. */
    public void registryWrite(String outcome) {
        count("peak.dns.registry.writes", "outcome", outcome, "Registry API writes, accepted or refused, by outcome");
    }

    private void count(String name, String tag, String value, String description) {
        counter(name, tag, value, description).increment();
    }

    private Counter counter(String name, String tag, String value, String description) {
        return counters.computeIfAbsent(name + "|" + value, key -> {
            Counter.Builder builder = Counter.builder(name).description(description);
            if (tag != null) {
                builder.tag(tag, value);
            }
            return builder.register(registry);
        });
    }
}
