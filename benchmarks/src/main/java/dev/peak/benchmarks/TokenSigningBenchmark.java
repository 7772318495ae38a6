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
import org.openjdk.jmh.annotations.Warmup;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;

/**
 * What service-a pays per {@code POST /token}: building the claims and signing them with service-a's own
 * TokenIssuer (SmallRye JWT build, jose4j underneath), the private key loaded once.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class TokenSigningBenchmark {

    @Param({"ES256", "EdDSA", "RS256"})
    public String algorithm;

    private BenchmarkTokens tokens;

    @Setup
    public void setUp() throws Exception {
        tokens = new BenchmarkTokens(algorithm);
        // The token must be one service-b accepts, or the figure means nothing.
        new DefaultJWTCallerPrincipalFactory().parse(sign(), tokens.verificationContext());
    }

    @Benchmark
    public String sign() {
        return tokens.issue("bench-user", 1);
    }
}
