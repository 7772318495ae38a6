package dev.peak.b.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;

/** The verified-token cache may save signature checks, never skip a rule the verifier enforces. */
class VerifiedTokenCacheTest {

    private static final long START = 1_800_000_000_000L;
    private static final JWTAuthContextInfo CONTEXT = new JWTAuthContextInfo();

    private final AtomicLong clock = new AtomicLong(START);
    private final FakeVerifier verifier = new FakeVerifier();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void hitReturnsCachedPrincipalWithoutVerifyingAgain() throws Exception {
        VerifiedTokenCache cache = cache(10);
        verifier.expiresIn(60);

        JWTCallerPrincipal first = cache.parse("token-a", CONTEXT);
        JWTCallerPrincipal second = cache.parse("token-a", CONTEXT);

        assertSame(first, second);
        assertEquals(1, verifier.calls);
        assertEquals(1.0, lookups("miss"));
        assertEquals(1.0, lookups("hit"));
    }

    @Test
    void cacheAnswersOnlyForTheExactTokenBytes() throws Exception {
        VerifiedTokenCache cache = cache(10);
        verifier.expiresIn(60);

        cache.parse("token-a", CONTEXT);
        cache.parse("token-a ", CONTEXT);
        cache.parse("Token-a", CONTEXT);

        assertEquals(3, verifier.calls);
        assertEquals(0.0, lookups("hit"));
    }

    @Test
    void otherVerificationSettingsNeverHit() throws Exception {
        VerifiedTokenCache cache = cache(10);
        verifier.expiresIn(60);

        cache.parse("token-a", CONTEXT);
        cache.parse("token-a", new JWTAuthContextInfo());

        assertEquals(2, verifier.calls, "a token verified under one key set proves nothing under another");
    }

    @Test
    void expiredEntryIsVerifiedAgain() throws Exception {
        VerifiedTokenCache cache = cache(10);
        verifier.expiresIn(60);
        cache.parse("token-a", CONTEXT);

        clock.set(START + 59_999);
        cache.parse("token-a", CONTEXT);
        assertEquals(1, verifier.calls, "still valid a millisecond before exp");

        clock.set(START + 60_000);
        verifier.fails(new ParseException("expired"));
        assertThrows(ParseException.class, () -> cache.parse("token-a", CONTEXT),
                "at exp the token must meet the verifier (and its clock skew) again");
        assertEquals(2, verifier.calls);
    }

    @Test
    void tokenAlreadyExpiredWhenVerifiedIsNotCached() throws Exception {
        // Accepted inside the verifier's clock skew, but past exp: the next use is verified again.
        VerifiedTokenCache cache = cache(10);
        verifier.expiresIn(-30);

        cache.parse("token-a", CONTEXT);
        cache.parse("token-a", CONTEXT);

        assertEquals(2, verifier.calls);
        assertEquals(0, cache.size());
    }

    @Test
    void verifierFailureIsNotCached() throws Exception {
        VerifiedTokenCache cache = cache(10);
        verifier.fails(new ParseException("bad signature"));

        assertThrows(ParseException.class, () -> cache.parse("token-a", CONTEXT));
        assertThrows(ParseException.class, () -> cache.parse("token-a", CONTEXT));
        assertEquals(2, verifier.calls, "each use of a rejected token is checked again");
        assertEquals(0, cache.size());

        verifier.expiresIn(60);
        cache.parse("token-a", CONTEXT);
        assertEquals(3, verifier.calls);
    }

    @ParameterizedTest(name = "size {0}")
    @ValueSource(ints = {0, -1})
    void sizeZeroDisablesCaching(int size) throws Exception {
        VerifiedTokenCache cache = cache(size);
        verifier.expiresIn(60);

        cache.parse("token-a", CONTEXT);
        cache.parse("token-a", CONTEXT);

        assertEquals(2, verifier.calls);
        assertEquals(0, cache.size());
        assertEquals(0.0, lookups("hit"));
    }

    @Test
    void cacheNeverGrowsBeyondItsBound() throws Exception {
        VerifiedTokenCache cache = cache(3);
        verifier.expiresIn(60);

        for (int i = 0; i < 20; i++) {
            cache.parse("token-" + i, CONTEXT);
            assertTrue(cache.size() <= 3, "size " + cache.size() + " after " + (i + 1) + " tokens");
        }
        int calls = verifier.calls;
        cache.parse("token-19", CONTEXT);
        assertEquals(calls, verifier.calls, "the newest token is cached after making room");
    }

    @Test
    void fullCacheDropsExpiredEntriesBeforeLiveOnes() throws Exception {
        VerifiedTokenCache cache = cache(2);
        verifier.expiresIn(10);
        cache.parse("short-lived", CONTEXT);
        verifier.expiresIn(60);
        cache.parse("long-lived", CONTEXT);

        clock.set(START + 10_000);
        verifier.expiresIn(60);
        cache.parse("newcomer", CONTEXT);

        int calls = verifier.calls;
        cache.parse("long-lived", CONTEXT);
        cache.parse("newcomer", CONTEXT);
        assertEquals(calls, verifier.calls, "live entries survive while an expired one can go");
        assertEquals(2, cache.size());
    }

    @Test
    void caffeineBinderExportsTheCachesSizeAndLookups() throws Exception {
        VerifiedTokenCache cache = cache(10);
        verifier.expiresIn(60);

        cache.parse("token-a", CONTEXT);
        cache.parse("token-a", CONTEXT);

        assertEquals(1.0, registry.get("cache.size").tag("cache", VerifiedTokenCache.CACHE_NAME).gauge().value());
        assertEquals(1.0, registry.get("cache.gets").tag("cache", VerifiedTokenCache.CACHE_NAME).tag("result", "hit")
                .functionCounter().count());
        assertEquals(1.0, registry.get("cache.gets").tag("cache", VerifiedTokenCache.CACHE_NAME).tag("result", "miss")
                .functionCounter().count());
    }

    private VerifiedTokenCache cache(int size) {
        // Caffeine reads time as nanoseconds from its ticker; the fake clock counts milliseconds.
        return new VerifiedTokenCache(verifier, size, () -> TimeUnit.MILLISECONDS.toNanos(clock.get()), registry);
    }

    private double lookups(String result) {
        return registry.get("peak.token.cache.lookups").tag("result", result).counter().count();
    }

    /** Answers every call with the outcome set last: a principal expiring relative to the clock, or a failure. */
    private final class FakeVerifier extends JWTCallerPrincipalFactory {

        private Object outcome;
        int calls;

        void expiresIn(long seconds) {
            outcome = seconds;
        }

        void fails(ParseException failure) {
            outcome = failure;
        }

        @Override
        public JWTCallerPrincipal parse(String token, JWTAuthContextInfo context) throws ParseException {
            calls++;
            if (outcome instanceof ParseException failure) {
                throw failure;
            }
            JwtClaims claims = new JwtClaims();
            claims.setSubject("alice");
            claims.setExpirationTime(NumericDate.fromMilliseconds(clock.get() + (Long) outcome * 1000));
            return new DefaultJWTCallerPrincipal(token, "JWT", claims);
        }
    }
}
