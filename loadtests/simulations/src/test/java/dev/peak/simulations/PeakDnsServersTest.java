package dev.peak.simulations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** peak.dns: the replicas a PEAK client asks, in order. */
class PeakDnsServersTest {

    @Test
    void bareAddressesArePeakDnsOnPort53AndBracketedOnesCarryTheirPort() throws Exception {
        List<InetSocketAddress> servers = PeakSimulation.dnsServers(" fd00:70ea::53 [::1]:5353,fd00:70ea::53:2 ");

        assertEquals(List.of(new InetSocketAddress(java.net.InetAddress.getByName("fd00:70ea::53"), 53),
                new InetSocketAddress(java.net.InetAddress.getByName("::1"), 5353),
                new InetSocketAddress(java.net.InetAddress.getByName("fd00:70ea::53:2"), 53)), servers);
    }

    @ParameterizedTest
    @ValueSource(strings = {"peak-dns.example", "[::1]", "[::1]:dns", "[::1]:70000", "fd00::zz"})
    void anythingButAnAddressLiteralIsRefusedBeforeAnyLookup(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeakSimulation.dnsServers(entry));
        assertTrue(e.getMessage().contains(entry), e.getMessage());
    }
}
