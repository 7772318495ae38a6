package dev.peak.a.token;

/** The answer of {@code POST /token}, shaped like an OAuth 2.0 token response. */
public record TokenResponse(String token, String tokenType, long expiresIn, String audience) {
}
