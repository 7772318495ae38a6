package dev.peak.dns.api;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.peak.common.error.ApiException;
import dev.peak.dns.config.DnsConfig;
import dev.peak.dns.discovery.RegistryDiscovery;
import dev.peak.dns.endpoint.AddressPrefix;
import dev.peak.dns.endpoint.IpLiterals;
import dev.peak.dns.server.DnsMetrics;
import io.quarkus.runtime.StartupEvent;

/**
 * Who may write to the registry, where to, and how often. peak-dns decides where every client goes, so a
 * write to the registry is a write to the zone: a caller proves who it is with a bearer token listed in
 * {@code peak.dns.registry.token-file}, may register addresses inside {@code allowed-prefixes} only, and
 * makes at most {@code writes-per-second} writes. Without both settings the registry does not start.
 */
@Singleton
public class RegistryAccess {

    private static final Logger LOG = Logger.getLogger(RegistryAccess.class);
    /** Shorter tokens can be guessed; {@code openssl rand -hex 32} gives 64 characters. */
    static final int MIN_TOKEN_LENGTH = 32;
    private static final Pattern CALLER = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** RFC 6750 §2.1's {@code b64token}: what a token may be made of. */
    private static final String B64TOKEN = "[A-Za-z0-9._~+/-]+=*";
    private static final Pattern TOKEN = Pattern.compile(B64TOKEN);
    /** RFC 6750 §2.1: {@code credentials = "Bearer" 1*SP b64token}; the scheme case-insensitive (RFC 9110 §11.1). */
    private static final Pattern BEARER = Pattern.compile("(?i)bearer +(" + B64TOKEN + ")");
    static final String CHALLENGE = "Bearer realm=\"peak-dns registry\"";

    private final boolean enabled;
    private final Path tokenFile;
    private final List<AddressPrefix> allowed;
    private final double writesPerSecond;
    private final LongSupplier nanoTime;
    private final DnsMetrics metrics;
    /** caller → token, as the file last read correctly said. */
    private volatile Map<String, byte[]> tokens = Map.of();
    private volatile FileTime tokensRead;
    /** caller → [tokens left, at nanoTime]; guarded by itself. */
    private final Map<String, double[]> buckets = new HashMap<>();

    @Inject
    public RegistryAccess(DnsConfig config, DnsMetrics metrics) {
        this(config, metrics, System::nanoTime);
    }

    RegistryAccess(DnsConfig config, DnsMetrics metrics, LongSupplier nanoTime) {
        this.enabled = config.discovery().contains(RegistryDiscovery.SOURCE);
        this.metrics = metrics;
        this.nanoTime = nanoTime;
        this.writesPerSecond = config.registry().writesPerSecond();
        if (!enabled) {
            this.tokenFile = null;
            this.allowed = List.of();
            return;
        }
        this.tokenFile = config.registry().tokenFile().orElseThrow(() -> new IllegalStateException(
                "the registry needs peak.dns.registry.token-file: a file of '<caller> <token>' lines; "
                        + "whoever can write to the registry decides where clients go"));
        this.allowed = config.registry().allowedPrefixes().orElseThrow(() -> new IllegalStateException(
                "the registry needs peak.dns.registry.allowed-prefixes, e.g. fd00:70ea::/48: the addresses "
                        + "it may send clients to")).stream().map(AddressPrefix::parse).toList();
        if (writesPerSecond < 1) {
            throw new IllegalStateException("peak.dns.registry.writes-per-second must be at least 1, not " + writesPerSecond);
        }
        reloadTokens(true);
    }

    /** Built at start-up, so that a registry without credentials stops peak-dns there, not at the first write. */
    void check(@Observes StartupEvent event) {
        if (enabled) {
            LOG.infof("registry: %d caller(s) from %s; addresses in %s; %d writes per second each",
                    tokens.size(), tokenFile, allowed, (int) writesPerSecond);
        }
    }

    /**
     * The caller a write comes from, named by its token; 401 without a known token, 429 past its rate.
     * {@code from} is the peer address, for the log.
     */
    String authorize(String authorization, String from) {
        reloadTokens(false);
        if (authorization == null || authorization.isBlank()) {
            throw refused("unauthorized", 401, "missing_token",
                    "registry writes need 'Authorization: Bearer <token>' with a token from peak.dns.registry.token-file", from)
                    .withHeader("WWW-Authenticate", CHALLENGE);
        }
        var bearer = BEARER.matcher(authorization);
        String caller = bearer.matches() ? callerOf(bearer.group(1).getBytes(StandardCharsets.US_ASCII)) : null;
        if (caller == null) {
            throw refused("unauthorized", 401, "invalid_token", "the bearer token is not one peak-dns knows", from)
                    .withHeader("WWW-Authenticate", CHALLENGE + ", error=\"invalid_token\"");
        }
        if (!take(caller)) {
            throw refused("rate_limited", 429, "rate_limited",
                    caller + " made more than " + (int) writesPerSecond + " registry writes in a second", from)
                    .withHeader("Retry-After", "1");
        }
        return caller;
    }

    /** 403 unless {@code address} lies in an allowed prefix. */
    void requireAllowed(InetAddress address, String caller, String from) {
        for (AddressPrefix prefix : allowed) {
            if (prefix.contains(address)) {
                return;
            }
        }
        throw refused("forbidden", 403, "address_not_allowed",
                IpLiterals.text(address) + " is outside peak.dns.registry.allowed-prefixes " + allowed, caller + " from " + from);
    }

    /** Counts an accepted write (the log line is the caller's: it knows what changed). */
    void accepted() {
        metrics.registryWrite("accepted");
    }

    private ApiException refused(String outcome, int status, String code, String message, String who) {
        metrics.registryWrite(outcome);
        // Debug only: a flood of refused writes must not become a flood of log lines; the metric counts them.
        LOG.debugf("registry write refused (%s) for %s: %s", code, who, message);
        return new ApiException(status, code, message);
    }

    /** Compares with every token, in time that does not depend on where the bytes differ. */
    private String callerOf(byte[] presented) {
        String found = null;
        for (Map.Entry<String, byte[]> entry : tokens.entrySet()) {
            if (MessageDigest.isEqual(entry.getValue(), presented)) {
                found = entry.getKey();
            }
        }
        return found;
    }

    /** A token bucket per caller, holding a second's worth of writes. */
    private boolean take(String caller) {
        long now = nanoTime.getAsLong();
        synchronized (buckets) {
            double[] bucket = buckets.computeIfAbsent(caller, c -> new double[] {writesPerSecond, now});
            bucket[0] = Math.min(writesPerSecond, bucket[0] + (now - bucket[1]) / 1e9 * writesPerSecond);
            bucket[1] = now;
            if (bucket[0] < 1) {
                return false;
            }
            bucket[0] -= 1;
            return true;
        }
    }

    /**
     * Reads the token file when its time changed (a Kubernetes Secret is updated in place). At start-up a bad
     * file stops peak-dns; later, the callers read last stay, and the error is logged.
     */
    private void reloadTokens(boolean startup) {
        try {
            FileTime modified = Files.getLastModifiedTime(tokenFile);
            if (modified.equals(tokensRead)) {
                return;
            }
            synchronized (this) {
                if (!modified.equals(tokensRead)) {
                    tokens = parseTokens(Files.readAllLines(tokenFile, StandardCharsets.UTF_8), tokenFile.toString());
                    if (!startup) {
                        LOG.infof("registry: read %d caller(s) from %s", tokens.size(), tokenFile);
                    }
                    tokensRead = modified;
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            String problem = e instanceof IOException ? "cannot read " + tokenFile + ": " + e : e.getMessage();
            if (startup) {
                throw new IllegalStateException("peak.dns.registry.token-file: " + problem, e);
            }
            LOG.errorf("registry: %s; keeping the %d caller(s) read before", problem, tokens.size());
        }
    }

    /** caller → token from lines of {@code <caller> <token>}; blank lines and {@code #} comments skipped. */
    static Map<String, byte[]> parseTokens(List<String> lines, String file) {
        Map<String, byte[]> tokens = new HashMap<>();
        Map<String, String> callerOfToken = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + ", line " + (i + 1) + ": ";
            String[] fields = line.split("\\s+");
            if (fields.length != 2) {
                throw new IllegalArgumentException(where + "expected '<caller> <token>'");
            }
            String caller = fields[0];
            String token = fields[1];
            if (!CALLER.matcher(caller).matches()) {
                throw new IllegalArgumentException(where + "a caller's name is 1 to 64 of A-Z a-z 0-9 . _ -");
            }
            if (!TOKEN.matcher(token).matches()) {
                throw new IllegalArgumentException(where + "a token is base64url or base64 text (RFC 6750's b64token)");
            }
            if (token.length() < MIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException(where + "the token of " + caller + " is shorter than "
                        + MIN_TOKEN_LENGTH + " characters (openssl rand -hex 32 makes one)");
            }
            if (tokens.containsKey(caller)) {
                throw new IllegalArgumentException(where + caller + " is listed twice");
            }
            String other = callerOfToken.putIfAbsent(token, caller);
            if (other != null) {
                throw new IllegalArgumentException(where + caller + " has the same token as " + other
                        + ": the log could not tell them apart");
            }
            tokens.put(caller, token.getBytes(StandardCharsets.US_ASCII));
        }
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException(file + " lists no caller");
        }
        return Map.copyOf(tokens);
    }
}
