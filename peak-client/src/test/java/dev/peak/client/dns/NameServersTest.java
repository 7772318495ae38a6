package dev.peak.client.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;

import dev.peak.client.PeakClient;
import dev.peak.client.StandInDns;

class NameServersTest {

    private static final InetAddress ONE = Addresses.literal("fd00:70ea::a1");
    private static final Duration TIMEOUT = Duration.ofMillis(200);

    @Test
    void silentReplicaIsLeftForTheNextAfterTheTimeoutAndNotAskedFirstAgain() throws Exception {
        try (StandInDns dead = new StandInDns(); StandInDns alive = new StandInDns()) {
            dead.silence();
            alive.answer(7, ONE);
            NameServers servers = NameServers.parse(dead.entry() + " " + alive.entry(), TIMEOUT);

            long start = System.nanoTime();
            Answer answer = PeakClient.await(servers.query("a.peak.test"));
            assertEquals(List.of(ONE), answer.addresses());
            assertEquals(7, answer.ttlSeconds());
            assertTrue(System.nanoTime() - start >= TIMEOUT.toNanos(), "the first replica had its timeout");

            int askedOfDead = dead.queries();
            PeakClient.await(servers.query("a.peak.test"));
            assertEquals(askedOfDead, dead.queries(), "the replica that answered is asked first now");
        }
    }

    @Test
    void servfailIsLeftForTheNextReplica() throws Exception {
        try (StandInDns failing = new StandInDns(); StandInDns alive = new StandInDns()) {
            failing.rcode(Rcode.SERVFAIL);
            alive.answer(5, ONE);

            Answer answer = PeakClient.await(NameServers.parse(failing.entry() + "," + alive.entry(), TIMEOUT).query("a.peak.test."));
            assertEquals(List.of(ONE), answer.addresses());
        }
    }

    @Test
    void nxdomainIsFinalAndNamesTheName() throws Exception {
        try (StandInDns first = new StandInDns(); StandInDns second = new StandInDns()) {
            first.rcode(Rcode.NXDOMAIN);
            second.answer(5, ONE);

            UnknownHostException e = assertThrows(UnknownHostException.class,
                    () -> PeakClient.await(NameServers.parse(first.entry() + " " + second.entry(), TIMEOUT).query("nope.peak.test")));
            assertTrue(e.getMessage().contains("nope.peak.test") && e.getMessage().contains("NXDOMAIN"), e.getMessage());
            assertEquals(0, second.queries(), "the other replicas serve the same zone");
        }
    }

    @Test
    void noReplicaAnsweringSaysWhichWereAsked() throws Exception {
        try (StandInDns dead = new StandInDns()) {
            dead.silence();
            UnknownHostException e = assertThrows(UnknownHostException.class,
                    () -> PeakClient.await(NameServers.parse(dead.entry(), TIMEOUT).query("a.peak.test")));
            assertTrue(e.getMessage().contains("no DNS server answered") && e.getMessage().contains("127.0.0.1"),
                    e.getMessage());
        }
    }

    @Test
    void entriesAreAddressLiteralsWithAnOptionalPort() {
        NameServers servers = NameServers.parse(" fd00:70ea::53, [::1]:5353 127.0.0.1 ", TIMEOUT);
        assertEquals(List.of(53, 5353, 53), servers.servers().stream().map(s -> s.getPort()).toList());

        for (String bad : List.of("dns.example.com", "[::1]", "[::1]:x", "[::1]:70000", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NameServers.parse(bad, TIMEOUT), bad);
            assertTrue(e.getMessage().contains("DNS server"), e.getMessage());
        }
    }
}
