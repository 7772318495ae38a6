package dev.peak.dns.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HttpHealthCheckerTest {

    @Test
    void ipv6ProbeHostHeaderIsBracketed() {
        assertEquals("[fd00:70ea::a:1]:8080", HttpHealthChecker.hostHeader("fd00:70ea::a:1", 8080));
    }

    @Test
    void ipv4ProbeHostHeaderIsPlain() {
        assertEquals("10.0.0.1:8080", HttpHealthChecker.hostHeader("10.0.0.1", 8080));
    }
}
