package dev.peak.dns.server;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.xbill.DNS.Type;

import dev.peak.dns.endpoint.Endpoint;
import dev.peak.dns.zone.ServiceState;
import dev.peak.dns.zone.Zone;

/**
 * The cache step of the {@link QueryPipeline}: answers are serialised once per (question, EDNS size,
 * transport, selected endpoints) and zone version, then only get each query's ID, RD and question
 * bytes. The policy still chooses per query, so a rotation stays a rotation; only the bytes of each
 * possible answer are reused. Each entry is valid for one zone version (any change to endpoints,
 * health or policy state makes it stale). Bounded: a flood of distinct names empties it rather than
 * growing it, and a service keeps at most {@value #MAX_VARIANTS} answer variants (one per possible
 * selection).
 */
final class AnswerCache {

    static final int MAX_ENTRIES = 10_000;
    static final int MAX_VARIANTS = 64;

    /** One serialised answer and its response code (for the metrics of cache hits). */
    record Answer(byte[] wire, int rcode) {
    }

    /** The answers to one question under one zone version; {@code service} is null when no policy chooses. */
    static final class Entry {
        private final long version;
        private final ServiceState service;
        private final boolean ipv6;
        private final Map<List<Endpoint>, Answer> variants = new ConcurrentHashMap<>();

        Entry(long version, ServiceState service, boolean ipv6) {
            this.version = version;
            this.service = service;
            this.ipv6 = ipv6;
        }

        Answer variant(List<Endpoint> chosen) {
            return variants.get(chosen);
        }

        void remember(List<Endpoint> chosen, Answer answer) {
            if (variants.size() < MAX_VARIANTS) {
                variants.put(List.copyOf(chosen), answer);
            }
        }
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Zone zone;
    private final Authority authority;
    private final DnsMetrics metrics;
    private final byte[] originWire;
    private final int ednsPayload;

    AnswerCache(Zone zone, Authority authority, DnsMetrics metrics) {
        this.zone = zone;
        this.authority = authority;
        this.metrics = metrics;
        this.originWire = authority.originWire();
        this.ednsPayload = authority.ednsPayload();
    }

    /**
     * The answer to a common query ({@link FastQuery}), from the cache or built and kept; null when
     * the query is not a common one, and the full path must answer it (and report what is wrong).
     */
    byte[] answer(byte[] packet, boolean tcp) {
        FastQuery fast = FastQuery.parse(packet, originWire, ednsPayload, tcp);
        if (fast == null) {
            return null;
        }
        try {
            return answer(fast, packet, tcp);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private byte[] answer(FastQuery fast, byte[] packet, boolean tcp) throws IOException {
        long version = zone.version();
        Entry entry = get(fast.key(), version);
        if (entry == null) {
            ServiceState service = fast.label() == null ? null : authority.service(fast.label());
            boolean ipv6 = fast.qtype() == Type.AAAA;
            boolean selects = service != null && (ipv6 || fast.qtype() == Type.A) && service.hasFamily(ipv6);
            entry = put(fast.key(), new Entry(version, selects ? service : null, ipv6));
        }
        List<Endpoint> chosen = entry.service == null ? List.of() : entry.service.select(entry.ipv6);
        Answer template = entry.variant(chosen);
        if (template == null) {
            Answer built = authority.answer(packet, entry.service == null ? null : chosen, tcp);
            entry.remember(chosen, new Answer(built.wire().clone(), built.rcode()));
            return built.wire();
        }
        metrics.answered(template.rcode());
        byte[] answer = template.wire().clone();
        if ((answer[2] & 0x02) != 0) {
            metrics.truncated();
        }
        fast.patch(answer, packet);
        return answer;
    }

    /** The entry for this key if it was built for this zone version. */
    private Entry get(String key, long version) {
        Entry entry = entries.get(key);
        return entry != null && entry.version == version ? entry : null;
    }

    private Entry put(String key, Entry entry) {
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(key, entry);
        return entry;
    }
}
