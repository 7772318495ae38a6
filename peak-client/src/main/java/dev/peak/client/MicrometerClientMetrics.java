package dev.peak.client;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The client's counters in a Micrometer registry: {@code peak.client.resolutions} (tags {@code source}: cache or
 * dns, {@code outcome}: ok or failed), {@code peak.client.failovers} ({@code reason}) and
 * {@code peak.client.token.fetches} ({@code reason}). Only this class names Micrometer: an application without it
 * never loads it.
 */
public final class MicrometerClientMetrics implements ClientMetrics {

    private final MeterRegistry registry;
    private final Counter fromCache;
    private final Counter queried;
    private final Counter failed;

    public MicrometerClientMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.fromCache = resolutions("cache", "ok");
        this.queried = resolutions("dns", "ok");
        this.failed = resolutions("dns", "failed");
    }

    private Counter resolutions(String source, String outcome) {
        return Counter.builder("peak.client.resolutions").description("Names looked up, by where the answer came from")
                .tag("source", source).tag("outcome", outcome).register(registry);
    }

    @Override
    public void resolved(boolean cache, boolean failure) {
        (failure ? failed : cache ? fromCache : queried).increment();
    }

    @Override
    public void failover(String reason) {
        // the registry keeps one counter per tag value: three reasons, three lookups by key
        Counter.builder("peak.client.failovers").description("Requests that left an address for another one")
                .tag("reason", reason).register(registry).increment();
    }

    @Override
    public void tokenFetched(String reason) {
        Counter.builder("peak.client.token.fetches").description("Tokens fetched from the issuer")
                .tag("reason", reason).register(registry).increment();
    }
}
