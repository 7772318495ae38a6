package dev.peak.b.auth;

import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
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
 * <p>A Caffeine cache keyed by the whole compact token and the verification settings it was checked
 * against: a cached entry only ever answers for the exact bytes that verified, under the same
 * {@link JWTAuthContextInfo} object; a change to any byte misses and goes through full verification.
 * Each entry expires at its token's {@code exp}. Bounded by {@code peak.b.token-cache.size} entries
 * ({@code 0} disables the cache). A key removed from the JWKS stops being trusted for new tokens at
 * once, for cached ones when they expire (at most the token lifespan, 60 s by default).
 */
@Alternative
@Priority(1)
@ApplicationScoped
@Startup
public class VerifiedTokenCache extends JWTCallerPrincipalFactory {

    static final String CACHE_NAME = "verified-tokens";

    /**
     * {@code exp} is wall-clock time, which the verifier checks against too; so entries age by the wall clock,
     * in the nanoseconds Caffeine counts in.
     */
    private static final Ticker WALL_CLOCK = () -> TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());

    /**
     * What verified, and against which settings. {@link JWTAuthContextInfo} does not override {@code equals}:
     * a caller verifying against other keys or claims gets no shortcut.
     */
    private record Key(String token, JWTAuthContextInfo context) {
    }

    private final JWTCallerPrincipalFactory verifier;
    private final Ticker clock;
    /** Null when the cache is disabled: then every token goes straight to the verifier. */
    private final Cache<Key, JWTCallerPrincipal> verified;
    private final Counter hits;
    private final Counter misses;

    @Inject
    public VerifiedTokenCache(@ConfigProperty(name = "peak.b.token-cache.size", defaultValue = "10000") int maxEntries,
            MeterRegistry registry) {
        this(new TypedJwtVerifier(new DefaultJWTCallerPrincipalFactory()), maxEntries, WALL_CLOCK, registry);
    }

    VerifiedTokenCache(JWTCallerPrincipalFactory verifier, int maxEntries, Ticker clock, MeterRegistry registry) {
        this.verifier = verifier;
        this.clock = clock;
        this.hits = counter(registry, "hit");
        this.misses = counter(registry, "miss");
        if (maxEntries <= 0) {
            this.verified = null;
            return;
        }
        this.verified = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfter(new UntilExp())
                .ticker(clock)
                // Expiry and eviction on the calling thread, as cheap as the lookup itself: a hand-off to the
                // common pool would wake a thread that competes with the event loops on a small machine.
                .executor(Runnable::run)
                .recordStats()
                .build();
        CaffeineCacheMetrics.monitor(registry, verified, CACHE_NAME);
    }

    @Override
    public JWTCallerPrincipal parse(String header, JWTAuthContextInfo context) throws ParseException {
        String token = afterSpaces(header);
        if (verified == null) {
            return verifier.parse(token, context);
        }
        Key key = new Key(token, context);
        JWTCallerPrincipal cached = verified.getIfPresent(key);
        if (cached != null) {
            hits.increment();
            return cached;
        }
        misses.increment();
        JWTCallerPrincipal principal = verifier.parse(token, context);
        // Accepted inside the verifier's clock skew but already past exp: the next use must meet the verifier again.
        if (TimeUnit.SECONDS.toNanos(principal.getExpirationTime()) > clock.read()) {
            verified.put(key, principal);
        }
        return principal;
    }

    /**
     * The token after the spaces that follow {@code Bearer}: RFC 6750 §2.1 allows one or more
     * ({@code credentials = "Bearer" 1*SP b64token}), and SmallRye's extractor keeps all but the first.
     */
    private static String afterSpaces(String token) {
        int start = 0;
        while (start < token.length() && token.charAt(start) == ' ') {
            start++;
        }
        return token.substring(start);
    }

    long size() {
        return verified == null ? 0 : verified.estimatedSize();
    }

    /** Each entry lives until its token's {@code exp}, however often it is read. */
    private static final class UntilExp implements Expiry<Key, JWTCallerPrincipal> {

        @Override
        public long expireAfterCreate(Key key, JWTCallerPrincipal principal, long now) {
            return TimeUnit.SECONDS.toNanos(principal.getExpirationTime()) - now;
        }

        @Override
        public long expireAfterUpdate(Key key, JWTCallerPrincipal principal, long now, long remaining) {
            return expireAfterCreate(key, principal, now);
        }

        @Override
        public long expireAfterRead(Key key, JWTCallerPrincipal principal, long now, long remaining) {
            return remaining;
        }
    }

    /**
     * The binder's {@code cache.gets} counts the same lookups; this name stays because the root README and the JMH
     * benchmarks read it, the benchmarks over several cache instances on one registry, which the binder cannot add up.
     */
    private static Counter counter(MeterRegistry registry, String result) {
        return Counter.builder("peak.token.cache.lookups").tag("result", result)
                .description("Token verifications answered from the cache (hit) or by checking the signature (miss)")
                .register(registry);
    }
}
