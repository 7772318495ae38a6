package dev.peak.common.work;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import dev.peak.common.error.ApiException;

/**
 * The work every PEAK service does per request: {@code cost} chained SHA-256 iterations over a seed,
 * so that "server CPU per request" is a dial the experiments can turn.
 */
public final class WorkFunction {

    public static final int MIN_COST = 0;
    public static final int MAX_COST = 100_000;
    public static final String DEFAULT_SEED = "peak";
    public static final int MAX_SEED_LENGTH = 256;

    private WorkFunction() {
    }

    /**
     * Hashes {@code seed} {@code cost} times, each round over the previous digest; cost 0 returns the
     * seed itself, hex-encoded.
     */
    public static String run(byte[] seed, int cost) {
        checkRange(cost);
        MessageDigest sha256 = newSha256();
        byte[] digest = seed;
        for (int i = 0; i < cost; i++) {
            digest = sha256.digest(digest);
        }
        return HexFormat.of().formatHex(digest);
    }

    /**
     * Parses a {@code cost} request parameter; absent means 0. Anything but an integer in
     * {@value #MIN_COST}..{@value #MAX_COST} is a client error, reported as 400.
     */
    public static int parseCost(String raw) {
        if (raw == null || raw.isBlank()) {
            return MIN_COST;
        }
        int cost;
        try {
            cost = Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_cost",
                    "cost must be an integer between " + MIN_COST + " and " + MAX_COST + ", got '" + abbreviate(raw) + "'");
        }
        checkRange(cost);
        return cost;
    }

    /** Rejects a cost outside {@value #MIN_COST}..{@value #MAX_COST} with 400. */
    public static void checkRange(long cost) {
        if (cost < MIN_COST || cost > MAX_COST) {
            throw ApiException.badRequest("invalid_cost",
                    "cost must be between " + MIN_COST + " and " + MAX_COST + ", got " + cost);
        }
    }

    /**
     * The seed a request asks to hash; absent means {@value #DEFAULT_SEED}. Bounded so that a request
     * cannot make the first digest arbitrarily expensive.
     */
    public static byte[] parseSeed(String raw) {
        if (raw == null || raw.isEmpty()) {
            return DEFAULT_SEED.getBytes(StandardCharsets.UTF_8);
        }
        if (raw.length() > MAX_SEED_LENGTH) {
            throw ApiException.badRequest("invalid_seed", "seed must be at most " + MAX_SEED_LENGTH + " characters");
        }
        return raw.getBytes(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String raw) {
        return raw.length() <= 32 ? raw : raw.substring(0, 32) + "…";
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
