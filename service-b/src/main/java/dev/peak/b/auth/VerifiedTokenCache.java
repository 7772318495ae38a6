package dev.peak.b.auth;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Remembers tokens that verified, until they expire, so that a client's k calls with one token cost B
 * one signature check instead of k (ES256 verification is about a millisecond of CPU on JDK 17).
 *
 * <p>The key is the whole compact token, so a cached entry only ever answers for the exact bytes
 * that verified; a change to any byte misses and goes through full verification. Bounded by
 * {@code peak.b.token-cache.size} entries ({@code 0} disables the cache; concurrent misses may pass
 * the bound by a few entries until the next insertion makes room). A key removed from the JWKS
 * stops being trusted for new tokens at once, for cached ones when they expire (at most the token
 * lifespan, 60 s by default).
 */
@Alternative
@Priority(1)
@ApplicationScoped
@Startup
public class VerifiedTokenCache extends JWTCallerPrincipalFactory {

    /** What verified, against which verification settings, and until when it may be trusted. */
    private record Entry(JWTCallerPrincipal principal, JWTAuthContextInfo context, long expiresAtMillis) {
    }

    private final JWTCallerPrincipalFactory verifier;
    private final int maxEntries;
    private final LongSupplier clock;
    private static final long SWEEP_INTERVAL_MILLIS = 1_000;

    private final ConcurrentHashMap<String, Entry> verified = new ConcurrentHashMap<>();
    private final AtomicLong nextSweepMillis = new AtomicLong();
    private final Counter hits;
    private final Counter misses;

    @Inject
    public VerifiedTokenCache(@ConfigProperty(name = "peak.b.token-cache.size", defaultValue = "10000") int maxEntries,
            MeterRegistry registry) {
        this(new DefaultJWTCallerPrincipalFactory(), maxEntries, System::currentTimeMillis, registry);
    }

    VerifiedTokenCache(JWTCallerPrincipalFactory verifier, int maxEntries, LongSupplier clock, MeterRegistry registry) {
        this.verifier = verifier;
        this.maxEntries = maxEntries;
        this.clock = clock;
        this.hits = counter(registry, "hit");
        this.misses = counter(registry, "miss");
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo context) throws ParseException {
        if (maxEntries <= 0) {
            return verifier.parse(token, context);
        }
        long now = clock.getAsLong();
        Entry entry = verified.get(token);
        // Same settings object only: a caller verifying against other keys or claims gets no shortcut.
        if (entry != null && entry.context() == context && now < entry.expiresAtMillis()) {
            hits.increment();
            return entry.principal();
        }
        misses.increment();
        JWTCallerPrincipal principal = verifier.parse(token, context);
        remember(token, principal, context, now);
        return principal;
    }

    int size() {
        return verified.size();
    }

    private void remember(String token, JWTCallerPrincipal principal, JWTAuthContextInfo context, long now) {
        // Only until exp: once expired the token must meet the verifier (and its clock skew) again.
        long expiresAtMillis = principal.getExpirationTime() * 1000;
        if (expiresAtMillis <= now) {
            return;
        }
        if (verified.size() >= maxEntries) {
            makeRoom(now);
        }
        verified.put(token, new Entry(principal, context, expiresAtMillis));
    }

    private void makeRoom(long now) {
        // A sweep visits every entry (about 100 µs at 10,000): at most one per second, not one per miss.
        long due = nextSweepMillis.get();
        if (now >= due && nextSweepMillis.compareAndSet(due, now + SWEEP_INTERVAL_MILLIS)) {
            verified.values().removeIf(e -> e.expiresAtMillis() <= now);
        }
        // Still full of live tokens: drop arbitrary ones; a dropped token is only verified again.
        Iterator<String> keys = verified.keySet().iterator();
        while (verified.size() >= maxEntries && keys.hasNext()) {
            keys.next();
            keys.remove();
        }
    }

    private static Counter counter(MeterRegistry registry, String result) {
        return Counter.builder("peak.token.cache.lookups").tag("result", result)
                .description("Token verifications answered from the cache (hit) or by checking the signature (miss)")
                .register(registry);
    }
}
