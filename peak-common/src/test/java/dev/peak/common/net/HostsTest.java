package dev.peak.common.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HostsTest {

    @Test
    void anIpv6LiteralGoesInBracketsOnce() {
        assertEquals("[fd00:70ea::a:1]", Hosts.inUrl("fd00:70ea::a:1"));
        assertEquals("[fd00:70ea::a:1]", Hosts.inUrl("[fd00:70ea::a:1]"));
        assertEquals("[::1]:8080", Hosts.hostPort("::1", 8080));
    }

    @Test
    void namesAndIpv4AddressesStayAsTheyAre() {
        assertEquals("a.peak.test", Hosts.inUrl("a.peak.test"));
        assertEquals("10.0.0.1:53", Hosts.hostPort("10.0.0.1", 53));
    }
}
