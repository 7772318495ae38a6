package dev.peak.dns.server;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.xbill.DNS.Type;

import dev.peak.dns.endpoint.Endpoint;
import dev.peak.dns.zone.ServiceState;
import dev.peak.dns.zone.Zone;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * The cache step of the {@link QueryPipeline}: answers are serialised once per (question, EDNS size,
 * transport, selected endpoints) and zone version; each query then gets a copy in a pooled buffer
 * with its own ID, RD and question bytes. The policy still chooses per query, so a rotation stays a
 * rotation; only the bytes of each possible answer are reused. Each entry is valid for one zone
 * version (any change to endpoints, health or policy state makes it stale).
 *
 * <p>A query whose answer is kept allocates nothing here: the key is compared in the packet's own
 * bytes, the table is an array, and an answer of one address (the default) is found by the index of
 * the endpoint the policy chose. Answers of several addresses are found by the list chosen (at most
 * {@value #MAX_VARIANTS} kept per question).
 *
 * <p>Bounded: {@value #SLOTS} entries at most, each question tried in {@value #PROBES} slots from
 * its hash. A new question takes a free or stale slot there, else the first one: a flood of distinct
 * names replaces entries instead of growing the table.
 */
final class AnswerCache {

    static final int SLOTS = 16_384;
    static final int PROBES = 4;
    static final int MAX_VARIANTS = 64;

    /** One serialised answer and its response code (for the metrics of cache hits). */
    record Answer(byte[] wire, int rcode) {
    }

    /**
     * The answers to one question under one zone version. Slots of {@code answers} are filled by
     * whichever event loop first needs them; an {@link Answer}'s final fields make its bytes visible
     * to the others without a lock.
     */
    private static final class Entry {
        private final FastQuery.Key key;
        private final int hash;
        private final long version;
        /** Null when no policy chooses: the answer is the same for every query. */
        private final ServiceState service;
        private final boolean ipv6;
        private final Endpoint[] candidates;
        /** With one address per answer, one per candidate; without a service, one. */
        private final Answer[] answers;
        /** With several addresses per answer, by the endpoints chosen. */
        private final Map<List<Endpoint>, Answer> variants = new ConcurrentHashMap<>();

        Entry(FastQuery.Key key, int hash, long version, ServiceState service, boolean ipv6) {
            this.key = key;
            this.hash = hash;
            this.version = version;
            this.service = service;
            this.ipv6 = ipv6;
            this.candidates = service == null ? null : service.candidates(ipv6);
            this.answers = new Answer[candidates == null ? 1 : candidates.length];
        }
    }

    private final Entry[] slots = new Entry[SLOTS];
    private final Zone zone;
    private final Authority authority;
    private final DnsMetrics metrics;
    private final FastThreadLocal<FastQuery> parsers;

    AnswerCache(Zone zone, Authority authority, DnsMetrics metrics) {
        this.zone = zone;
        this.authority = authority;
        this.metrics = metrics;
        byte[] originWire = authority.originWire();
        int ednsPayload = authority.ednsPayload();
        this.parsers = new FastThreadLocal<>() {
            @Override
            protected FastQuery initialValue() {
                return new FastQuery(originWire, ednsPayload);
            }
        };
    }

    /**
     * The answer to a common query ({@link FastQuery}) of {@code length} bytes, in a buffer from
     * {@code alloc}; null when the query is not a common one, and the full path must answer it (and
     * report what is wrong).
     */
    ByteBuf answer(byte[] packet, int length, boolean tcp, ByteBufAllocator alloc) {
        FastQuery query = parsers.get();
        if (!query.parse(packet, length, tcp)) {
            return null;
        }
        try {
            return answer(query, packet, length, tcp, alloc);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private ByteBuf answer(FastQuery query, byte[] packet, int length, boolean tcp, ByteBufAllocator alloc)
            throws IOException {
        Entry entry = entry(query, packet);
        List<Endpoint> chosen = null;
        int index = 0;
        Answer kept;
        if (entry.service == null) {
            kept = entry.answers[0];
        } else if (entry.service.answersOne()) {
            index = entry.service.selectOne(entry.candidates);
            kept = entry.answers[index];
        } else {
            chosen = entry.service.select(entry.ipv6);
            kept = entry.variants.get(chosen);
        }
        if (kept == null) {
            if (entry.service != null && chosen == null) {
                chosen = List.of(entry.candidates[index]);
            }
            // Built from this very query, so nothing to patch; the authority counted it.
            Answer built = authority.answer(Arrays.copyOf(packet, length), entry.service == null ? null : chosen, tcp);
            if (entry.service == null || entry.service.answersOne()) {
                entry.answers[index] = built;
            } else if (entry.variants.size() < MAX_VARIANTS) {
                entry.variants.put(List.copyOf(chosen), built);
            }
            return alloc.ioBuffer(built.wire().length).writeBytes(built.wire());
        }
        metrics.answered(kept.rcode());
        if ((kept.wire()[2] & 0x02) != 0) {
            metrics.truncated();
        }
        ByteBuf answer = alloc.ioBuffer(kept.wire().length).writeBytes(kept.wire());
        query.patch(answer, packet);
        return answer;
    }

    /** The entry for this query under the current zone version: found, or built and put in its slot. */
    private Entry entry(FastQuery query, byte[] packet) {
        long version = zone.version();
        int home = query.hash() & (SLOTS - 1);
        int target = home;
        boolean free = false;
        for (int i = 0; i < PROBES; i++) {
            int slot = (home + i) & (SLOTS - 1);
            Entry entry = slots[slot];
            if (entry == null) {
                if (!free) {
                    target = slot;
                    free = true;
                }
            } else if (entry.hash == query.hash() && query.matches(entry.key, packet)) {
                if (entry.version == version) {
                    return entry;
                }
                target = slot; // stale: its own slot is the one to refresh
                break;
            }
        }
        String label = query.label(packet);
        ServiceState service = label == null ? null : zone.service(label);
        boolean ipv6 = query.qtype() == Type.AAAA;
        boolean selects = service != null && (ipv6 || query.qtype() == Type.A) && service.hasFamily(ipv6);
        Entry entry = new Entry(query.key(packet), query.hash(), version, selects ? service : null, ipv6);
        slots[target] = entry;
        return entry;
    }
}
