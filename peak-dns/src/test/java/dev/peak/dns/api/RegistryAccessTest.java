package dev.peak.dns.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.peak.common.error.ApiException;
import dev.peak.dns.TestConfigs;
import dev.peak.dns.endpoint.IpLiterals;
import dev.peak.dns.server.DnsMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The registry's write rules, one per test: credentials, allowed addresses, each caller's rate, the token file. */
class RegistryAccessTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final String OTHER = "fedcba9876543210fedcba9876543210";

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong();

    @Test
    void registryWithoutTokenFileDoesNotStart() {
        var e = assertThrows(IllegalStateException.class, () -> bare("peak.dns.discovery", "static,registry",
                "peak.dns.registry.allowed-prefixes", "fd00:70ea::/48"));
        assertTrue(e.getMessage().startsWith("the registry needs peak.dns.registry.token-file"), e.getMessage());
    }

    @Test
    void registryWithoutAllowedPrefixesDoesNotStart() throws IOException {
        Path file = tokens("agent " + TOKEN);
        var e = assertThrows(IllegalStateException.class, () -> bare("peak.dns.discovery", "static,registry",
                "peak.dns.registry.token-file", file.toString()));
        assertTrue(e.getMessage().startsWith("the registry needs peak.dns.registry.allowed-prefixes"), e.getMessage());
    }

    @Test
    void registryOffNeedsNeitherSetting() {
        bare("peak.dns.discovery", "static");
    }

    @Test
    void writeWithoutTokenIs401WithChallenge() throws IOException {
        var e = assertThrows(ApiException.class, () -> access().authorize(null, "::1"));
        assertEquals(401, e.status());
        assertEquals("missing_token", e.code());
        assertEquals(RegistryAccess.CHALLENGE, e.headers().get("WWW-Authenticate"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown token | Bearer 00000000000000000000000000000000",
            "a listed caller's name instead of its token | Bearer agent",
            "a space inside the token | Bearer 0123456789abcdef 0123456789abcdef",
            "another scheme | Basic " + TOKEN,
            "no scheme | " + TOKEN})
    void writeWithoutAKnownBearerTokenIs401(String rule, String authorization) throws IOException {
        var e = assertThrows(ApiException.class, () -> access().authorize(authorization, "::1"));
        assertEquals(401, e.status());
        assertEquals("invalid_token", e.code());
    }

    @Test
    void knownTokenNamesItsCaller() throws IOException {
        assertEquals("agent", access().authorize("Bearer " + TOKEN, "::1"));
        assertEquals("agent", access().authorize("bearer " + TOKEN, "::1"), "the scheme is case-insensitive (RFC 9110 §11.1)");
        assertEquals("agent", access().authorize("Bearer  " + TOKEN, "::1"), "one or more spaces: RFC 6750's 1*SP");
    }

    @Test
    void addressOutsideAllowedPrefixesIs403() throws IOException {
        RegistryAccess access = access();
        access.requireAllowed(IpLiterals.parse("fd00:70ea::a:1"), "agent", "::1");
        access.requireAllowed(IpLiterals.parse("10.1.2.3"), "agent", "::1");
        for (String outside : List.of("fd00:70eb::1", "2001:db8::1", "10.2.0.1", "::ffff:192.0.2.1")) {
            var e = assertThrows(ApiException.class, () -> access.requireAllowed(IpLiterals.parse(outside), "agent", "::1"));
            assertEquals(403, e.status(), outside);
            assertEquals("address_not_allowed", e.code());
        }
    }

    @Test
    void writesPastTheCallersRateAre429AndTheRateRefills() throws IOException {
        RegistryAccess access = access("peak.dns.registry.writes-per-second", "5");
        for (int i = 0; i < 5; i++) {
            access.authorize("Bearer " + TOKEN, "::1");
        }
        var e = assertThrows(ApiException.class, () -> access.authorize("Bearer " + TOKEN, "::1"));
        assertEquals(429, e.status());
        assertEquals("1", e.headers().get("Retry-After"));
        assertEquals("other", access.authorize("Bearer " + OTHER, "::1"), "each caller has its own rate");
        now.addAndGet(200_000_000); // a fifth of a second: one write's worth
        access.authorize("Bearer " + TOKEN, "::1");
        assertThrows(ApiException.class, () -> access.authorize("Bearer " + TOKEN, "::1"));
    }

    @Test
    void changedTokenFileIsReadAgainAndABrokenOneKeepsTheCallersBefore() throws IOException {
        Path file = tokens("agent " + TOKEN);
        RegistryAccess access = access("peak.dns.registry.token-file", file.toString());
        Files.writeString(file, "rotated " + OTHER + "\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        assertEquals("rotated", access.authorize("Bearer " + OTHER, "::1"));
        assertThrows(ApiException.class, () -> access.authorize("Bearer " + TOKEN, "::1"), "the old token is gone");

        Files.writeString(file, "broken\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        assertEquals("rotated", access.authorize("Bearer " + OTHER, "::1"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a line of one field | agent | expected '<caller> <token>'",
            "a short token | agent 0123456789 | shorter than 32 characters",
            "a caller twice | agent " + TOKEN + "\\nagent " + OTHER + " | agent is listed twice",
            "one token for two callers | agent " + TOKEN + "\\nother " + TOKEN + " | the same token as agent",
            "a bad caller name | agent/1 " + TOKEN + " | a caller's name is",
            "a token with a quote | agent " + TOKEN + "\" | a token is base64url",
            "nothing but comments | # agent " + TOKEN + " | lists no caller"})
    void badTokenFileStopsStartUp(String rule, String content, String problem) throws IOException {
        Path file = tokens(content.replace("\\n", "\n"));
        var e = assertThrows(IllegalStateException.class, () -> access("peak.dns.registry.token-file", file.toString()));
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    /** A registry with two callers and two allowed prefixes, {@code overrides} applied. */
    private RegistryAccess access(String... overrides) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>(Map.of("peak.dns.discovery", "static,registry",
                "peak.dns.registry.token-file", tokens("agent " + TOKEN + "\nother " + OTHER).toString(),
                "peak.dns.registry.allowed-prefixes", "fd00:70ea::/48,10.1.0.0/16"));
        for (int i = 0; i < overrides.length; i += 2) {
            settings.put(overrides[i], overrides[i + 1]);
        }
        return bare(settings.entrySet().stream().flatMap(e -> Stream.of(e.getKey(), e.getValue())).toArray(String[]::new));
    }

    private RegistryAccess bare(String... settings) {
        return new RegistryAccess(TestConfigs.dnsConfig(settings), metrics(), now::get);
    }

    private Path tokens(String content) throws IOException {
        Path file = Files.createTempFile(dir, "tokens", "");
        Files.writeString(file, content + "\n");
        return file;
    }

    private static DnsMetrics metrics() {
        return new DnsMetrics(new SimpleMeterRegistry());
    }
}
