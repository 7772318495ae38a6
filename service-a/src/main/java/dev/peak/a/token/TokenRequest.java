package dev.peak.a.token;

/** The optional body of {@code POST /token}: who the token is for and how much work it allows at B. */
public record TokenRequest(String subject, Long cost) {
}
