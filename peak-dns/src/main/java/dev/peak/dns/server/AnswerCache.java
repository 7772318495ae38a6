package dev.peak.dns.server;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.peak.dns.zone.Endpoint;
import dev.peak.dns.zone.ServiceState;

/**
 * Serialised answers by question, each valid for one zone version (any change to endpoints, health
 * or policy state makes them stale). Bounded: a flood of distinct names empties it rather than
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

        ServiceState service() {
            return service;
        }

        boolean ipv6() {
            return ipv6;
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

    /** The entry for this key if it was built for this zone version. */
    Entry get(String key, long version) {
        Entry entry = entries.get(key);
        return entry != null && entry.version == version ? entry : null;
    }

    Entry put(String key, Entry entry) {
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(key, entry);
        return entry;
    }
}
