package dev.peak.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.peak.b.auth.VerifiedTokenCache;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * What service-b pays per {@code GET /work} to check the bearer token: SmallRye JWT's
 * {@link DefaultJWTCallerPrincipalFactory} (signature, iss, aud, exp), without and with service-b's
 * {@link VerifiedTokenCache}.
 *
 * <ul>
 * <li>{@code uncached}: full verification every call (tokens taken in turn from a pool of
 * {@value #POOL_SIZE}).</li>
 * <li>{@code cachedHit}: the same token again and again, answered by the cache.</li>
 * <li>{@code cachedMix}: a client making {@code callsPerToken} calls with each token: 1 means every call
 * brings a token the cache has not seen (always a miss), 10 means one miss then nine hits. The pool
 * of tokens is smaller than the cache (10000, service-b's default), and the cache is replaced by an
 * empty one each time the pool starts over, so no token is ever seen twice by one cache and the cache
 * never has to evict.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class TokenVerificationBenchmark {

    static final int POOL_SIZE = 256;
    static final int CACHE_SIZE = 10_000;

    @Param({"ES256", "EdDSA", "RS256"})
    public String algorithm;

    private JWTAuthContextInfo context;
    private final DefaultJWTCallerPrincipalFactory verifier = new DefaultJWTCallerPrincipalFactory();
    private String[] tokens;
    private int next;

    @Setup
    public void setUp() throws ParseException {
        BenchmarkTokens signed = new BenchmarkTokens(algorithm);
        context = signed.verificationContext();
        tokens = new String[POOL_SIZE];
        for (int i = 0; i < POOL_SIZE; i++) {
            tokens[i] = signed.issue("bench-user-" + i, i);
            verifier.parse(tokens[i], context);
        }
        // The context must really check what service-b checks: a token for another audience fails.
        String wrongAudience = signed.issueForAnotherAudience();
        try {
            verifier.parse(wrongAudience, context);
            throw new IllegalStateException("a token for audience not-peak-b verified: the context does not check aud");
        } catch (ParseException expected) {
            // as service-b does
        }
    }

    @Benchmark
    public JWTCallerPrincipal uncached() throws ParseException {
        String token = tokens[next];
        if (++next == POOL_SIZE) {
            next = 0;
        }
        return verifier.parse(token, context);
    }

    @Benchmark
    public JWTCallerPrincipal cachedHit(Hit hit) throws ParseException {
        return hit.cache.parse(hit.token, hit.context);
    }

    @Benchmark
    public JWTCallerPrincipal cachedMix(Mix mix) throws ParseException {
        return mix.parse(this);
    }

    /** A cache that has already verified the one token it is asked about. */
    @State(Scope.Thread)
    public static class Hit {
        private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        VerifiedTokenCache cache;
        String token;
        /**
         * The settings the token was verified under, kept here: the cache answers only for the same settings
         * object, and the benchmark instance JMH hands this setup is not always the one that runs the method.
         */
        JWTAuthContextInfo context;

        @Setup
        public void setUp(TokenVerificationBenchmark benchmark) throws ParseException {
            cache = new VerifiedTokenCache(CACHE_SIZE, registry);
            token = benchmark.tokens[0];
            context = benchmark.context;
            cache.parse(token, context);
        }

        @TearDown
        public void check() {
            Lookups.check(registry, "cachedHit", 1);
        }
    }

    /** A stream of calls, {@code callsPerToken} in a row with each token. */
    @State(Scope.Thread)
    public static class Mix {
        @Param({"1", "10"})
        public int callsPerToken;

        private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        private VerifiedTokenCache cache;
        private int index;
        private int call;
        private long calls;

        @Setup
        public void setUp() {
            cache = new VerifiedTokenCache(CACHE_SIZE, registry);
        }

        JWTCallerPrincipal parse(TokenVerificationBenchmark benchmark) throws ParseException {
            VerifiedTokenCache current = cache;
            String token = benchmark.tokens[index];
            calls++;
            if (++call == callsPerToken) {
                call = 0;
                if (++index == POOL_SIZE) {
                    index = 0;
                    // The pool starts over: a new, empty cache (the old one would answer every token).
                    cache = new VerifiedTokenCache(CACHE_SIZE, registry);
                }
            }
            return current.parse(token, benchmark.context);
        }

        @TearDown
        public void check() {
            // Call n (from 0) is the first with its token, hence a miss, exactly when n % callsPerToken == 0.
            Lookups.check(registry, "cachedMix(callsPerToken=" + callsPerToken + ")",
                    (calls + callsPerToken - 1) / callsPerToken);
        }
    }

    /** Makes sure the cache really missed as often as the benchmark says (its own hit/miss counters). */
    static final class Lookups {
        private Lookups() {
        }

        static void check(SimpleMeterRegistry registry, String benchmark, long expectedMisses) {
            double misses = registry.get("peak.token.cache.lookups").tag("result", "miss").counter().count();
            double hits = registry.get("peak.token.cache.lookups").tag("result", "hit").counter().count();
            if (misses != expectedMisses) {
                throw new IllegalStateException(benchmark + ": expected " + expectedMisses + " cache misses, counted "
                        + (long) misses + " (and " + (long) hits + " hits)");
            }
        }
    }
}
