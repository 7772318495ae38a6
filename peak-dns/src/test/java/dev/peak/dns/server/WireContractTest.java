package dev.peak.dns.server;

import static dev.peak.dns.Dns.addresses;
import static dev.peak.dns.Dns.ask;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import dev.peak.dns.Dns;
import dev.peak.dns.LoopbackLab;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What a DNS client sees on the wire (docs/architecture.md: peak-dns), over UDP and TCP, checked with dnsjava's
 * SimpleResolver where a real client's view is wanted and with raw bytes where the bytes are the rule.
 */
@QuarkusTest
@WithTestResource(LoopbackLab.class)
class WireContractTest {

    private static final String ZONE = LoopbackLab.ZONE;

    @Inject
    DnsServer server;

    private int port(boolean tcp) {
        return tcp ? server.tcpPort() : server.udpPort();
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void aaaaAnswerCarriesTheServiceTtlAndOneAddressByDefault(boolean tcp) {
        Message response = ask(port(tcp), tcp, "a." + ZONE, Type.AAAA);
        assertEquals(Rcode.NOERROR, response.getRcode());
        assertTrue(response.getHeader().getFlag(Flags.AA), "authoritative answer");
        List<Record> answer = response.getSection(Section.ANSWER);
        assertEquals(1, answer.size(), () -> "k = 1 by default: " + response);
        assertEquals(Type.AAAA, answer.get(0).getType());
        assertEquals(LoopbackLab.A_TTL, answer.get(0).getTTL());
        assertEquals(Dns.name("a." + ZONE), answer.get(0).getName());
        assertTrue(normalized(LoopbackLab.A_ENDPOINTS).contains(answer.get(0).rdataToString()), answer::toString);
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void answerSizeTwoGivesTwoDistinctAddresses(boolean tcp) {
        for (int i = 0; i < 10; i++) {
            Message response = ask(port(tcp), tcp, "pair." + ZONE, Type.AAAA);
            List<String> addresses = addresses(response);
            assertEquals(2, addresses.size(), response::toString);
            assertEquals(2, new HashSet<>(addresses).size(), () -> "distinct: " + addresses);
            assertTrue(normalized(LoopbackLab.PAIR_ENDPOINTS).containsAll(addresses), addresses::toString);
            response.getSection(Section.ANSWER).forEach(r -> assertEquals(LoopbackLab.PAIR_TTL, r.getTTL()));
        }
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void aQueryIsAnsweredFromIpv4Endpoints(boolean tcp) {
        Message response = ask(port(tcp), tcp, "v4." + ZONE, Type.A);
        assertEquals(Rcode.NOERROR, response.getRcode());
        assertEquals(List.of(LoopbackLab.V4_ENDPOINT), addresses(response));
        assertEquals(5, response.getSection(Section.ANSWER).get(0).getTTL(), "the file's default TTL");
        assertNodata(ask(port(tcp), tcp, "v4." + ZONE, Type.AAAA));
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void unknownNameIsNxdomainWithSoa(boolean tcp) {
        assertNxdomain(ask(port(tcp), tcp, "nosuch." + ZONE, Type.AAAA));
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void nameBelowAServiceIsNxdomain(boolean tcp) {
        assertNxdomain(ask(port(tcp), tcp, "x.a." + ZONE, Type.AAAA));
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void aForAnIpv6OnlyServiceIsNodataAtOnce(boolean tcp) {
        ask(port(tcp), tcp, "a." + ZONE, Type.A); // warm up the client side
        long start = System.nanoTime();
        Message response = ask(port(tcp), tcp, "a." + ZONE, Type.A);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertNodata(response);
        // Netty asks A and AAAA together and waits for both (docs/architecture.md: Pitfalls): an A that is not
        // answered at
        // once costs every lookup its timeout.
        assertTrue(millis < 500, "NODATA took " + millis + " ms");
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void otherTypesOfAKnownNameAreNodata(boolean tcp) {
        assertNodata(ask(port(tcp), tcp, "a." + ZONE, Type.TXT));
        assertNodata(ask(port(tcp), tcp, "a." + ZONE, Type.MX));
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void apexAnswersSoaAndNs(boolean tcp) {
        Message soa = ask(port(tcp), tcp, ZONE, Type.SOA);
        assertEquals(Rcode.NOERROR, soa.getRcode());
        assertTrue(soa.getHeader().getFlag(Flags.AA));
        List<Record> soaAnswer = soa.getSection(Section.ANSWER);
        assertEquals(1, soaAnswer.size(), soa::toString);
        assertEquals(Dns.name(ZONE), ((SOARecord) soaAnswer.get(0)).getName());

        Message ns = ask(port(tcp), tcp, ZONE, Type.NS);
        assertEquals(Rcode.NOERROR, ns.getRcode());
        List<Record> nsAnswer = ns.getSection(Section.ANSWER);
        assertEquals(1, nsAnswer.size(), ns::toString);
        assertEquals(Dns.name("ns." + ZONE), ((NSRecord) nsAnswer.get(0)).getTarget());

        assertNodata(ask(port(tcp), tcp, ZONE, Type.AAAA));
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void anyAtAServiceIsAnsweredWithItsAddressRrsetAlone(boolean tcp) {
        // RFC 8482: one RRset, the one AAAA (or, for an IPv4-only service, A) would get.
        Message v6 = ask(port(tcp), tcp, "a." + ZONE, Type.ANY);
        assertEquals(Rcode.NOERROR, v6.getRcode(), v6::toString);
        assertTrue(v6.getHeader().getFlag(Flags.AA));
        List<Record> v6Answer = v6.getSection(Section.ANSWER);
        assertEquals(1, v6Answer.size(), v6::toString);
        assertEquals(Type.AAAA, v6Answer.get(0).getType());
        assertEquals(LoopbackLab.A_TTL, v6Answer.get(0).getTTL());
        assertTrue(normalized(LoopbackLab.A_ENDPOINTS).contains(v6Answer.get(0).rdataToString()), v6::toString);

        Message v4 = ask(port(tcp), tcp, "v4." + ZONE, Type.ANY);
        assertEquals(Type.A, v4.getSection(Section.ANSWER).get(0).getType(), v4::toString);
        assertEquals(List.of(LoopbackLab.V4_ENDPOINT), addresses(v4));
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void anyAtTheApexIsAnsweredWithTheNsRrsetAlone(boolean tcp) {
        Message response = ask(port(tcp), tcp, ZONE, Type.ANY);
        assertEquals(Rcode.NOERROR, response.getRcode(), response::toString);
        List<Record> answer = response.getSection(Section.ANSWER);
        assertEquals(1, answer.size(), () -> "RFC 8482: one RRset, " + response);
        assertEquals(Dns.name("ns." + ZONE), ((NSRecord) answer.get(0)).getTarget());
        assertTrue(response.getSection(Section.AUTHORITY).isEmpty(), response::toString);
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(strings = {"example.com.", "test.", "xpeak.test.", "a.xpeak.test.", "."})
    void nameOutsideTheZoneIsRefusedWithoutAa(String name) {
        for (boolean tcp : new boolean[] {false, true}) {
            Message response = ask(port(tcp), tcp, name, Type.A);
            assertEquals(Rcode.REFUSED, response.getRcode(), response::toString);
            assertFalse(response.getHeader().getFlag(Flags.AA), "not authoritative outside its zone");
            assertTrue(response.getSection(Section.ANSWER).isEmpty());
        }
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void nameOutsideTheZoneCarriesExtendedErrorNotAuthoritative(boolean tcp) throws IOException {
        SimpleResolver resolver = Dns.resolver(port(tcp), tcp); // EDNS: where the RFC 8914 option can go
        Message response = resolver.send(Dns.query("example.com.", Type.A));
        assertEquals(Rcode.REFUSED, response.getRcode());
        List<EDNSOption> options = response.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR);
        assertEquals(1, options.size(), response::toString);
        assertEquals(ExtendedErrorCodeOption.NOT_AUTHORITATIVE, ((ExtendedErrorCodeOption) options.get(0)).getErrorCode());

        Message inZone = resolver.send(Dns.query("nosuch." + ZONE, Type.A));
        assertTrue(inZone.getOPT().getOptions().isEmpty(), () -> "only for names outside the zone: " + inZone);
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void zoneTransfersAreRefused(boolean tcp) {
        for (int type : new int[] {Type.AXFR, Type.IXFR}) {
            // Raw bytes: dnsjava's resolver turns a transfer query into a transfer client, which throws on REFUSED.
            byte[] query = Dns.query(ZONE, type).toWire();
            Message response = Dns.parse(tcp ? Dns.tcp(port(true), query) : Dns.udp(port(false), query));
            assertEquals(Rcode.REFUSED, response.getRcode(), response::toString);
            assertTrue(response.getSection(Section.ANSWER).isEmpty());
        }
    }

    @Test
    void classOtherThanInIsRefused() {
        Message query = Message.newQuery(Record.newRecord(Dns.name("a." + ZONE), Type.TXT, DClass.CH));
        Message response = Dns.parse(Dns.udp(port(false), query.toWire()));
        assertEquals(Rcode.REFUSED, response.getRcode());
    }

    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(ints = {Opcode.NOTIFY, Opcode.UPDATE, Opcode.IQUERY, Opcode.STATUS, 3, 15})
    void opcodesOtherThanQueryAreNotImplemented(int opcode) {
        Message query = Dns.query("a." + ZONE, Type.SOA);
        query.getHeader().setOpcode(opcode);
        for (boolean tcp : new boolean[] {false, true}) {
            byte[] wire = tcp ? Dns.tcp(port(true), query.toWire()) : Dns.udp(port(false), query.toWire());
            assertNotNull(wire, "an answer for opcode " + opcode);
            Message response = Dns.parse(wire);
            assertEquals(Rcode.NOTIMP, response.getRcode());
            assertEquals(opcode, response.getHeader().getOpcode(), "opcode echoed");
            assertEquals(query.getHeader().getID(), response.getHeader().getID());
            assertTrue(response.getHeader().getFlag(Flags.QR));
            assertFalse(response.getHeader().getFlag(Flags.AA));
        }
    }

    @ParameterizedTest(name = "QDCOUNT {0}")
    @ValueSource(ints = {0, 2})
    void questionCountOtherThanOneIsFormerr(int questions) {
        Message query = new Message(0x4242);
        query.getHeader().setFlag(Flags.RD);
        for (int i = 0; i < questions; i++) {
            query.addRecord(Record.newRecord(Dns.name(i + ".a." + ZONE), Type.AAAA, DClass.IN), Section.QUESTION);
        }
        for (boolean tcp : new boolean[] {false, true}) {
            byte[] wire = tcp ? Dns.tcp(port(true), query.toWire()) : Dns.udp(port(false), query.toWire());
            assertNotNull(wire);
            Message response = Dns.parse(wire);
            assertEquals(Rcode.FORMERR, response.getRcode());
            assertEquals(0x4242, response.getHeader().getID());
            assertTrue(response.getHeader().getFlag(Flags.QR));
            assertTrue(response.getHeader().getFlag(Flags.RD));
            assertTrue(response.getSection(Section.ANSWER).isEmpty());
        }
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void ednsOptIsEchoedWithPayload1232(boolean tcp) throws IOException {
        for (int offered : new int[] {512, 1232, 4096}) {
            SimpleResolver resolver = Dns.resolver(port(tcp), tcp);
            resolver.setEDNS(0, offered, 0, List.of());
            Message response = resolver.send(Dns.query("a." + ZONE, Type.AAAA));
            OPTRecord opt = response.getOPT();
            assertNotNull(opt, "OPT echoed when the query had one");
            assertEquals(1232, opt.getPayloadSize());
            assertEquals(0, opt.getVersion());
            assertEquals(Rcode.NOERROR, response.getRcode());
        }
        SimpleResolver plain = Dns.resolver(port(tcp), tcp);
        plain.setEDNS(null);
        assertNull(plain.send(Dns.query("a." + ZONE, Type.AAAA)).getOPT(), "no OPT unless asked with one");
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void ednsVersionOtherThanZeroGetsBadversWithoutAa(boolean tcp) {
        Message query = Dns.query("a." + ZONE, Type.AAAA);
        query.addRecord(new OPTRecord(1232, 0, 1, 0), Section.ADDITIONAL);
        byte[] wire = tcp ? Dns.tcp(port(true), query.toWire()) : Dns.udp(port(false), query.toWire());
        Message response = Dns.parse(wire);
        assertEquals(Rcode.BADVERS, response.getRcode(), "extended rcode 16: " + response);
        assertEquals(0, wire[3] & 0x0F, "low 4 bits of 16 in the header");
        assertEquals(1, response.getOPT().getExtendedRcode(), "high 8 bits in the OPT record");
        assertEquals(0, response.getOPT().getVersion(), "the version we speak");
        assertFalse(response.getHeader().getFlag(Flags.AA), "the question was not taken up, as Knot DNS answers");
        assertTrue(response.getSection(Section.ANSWER).isEmpty());
    }

    @Test
    void nxdomainWithEdnsKeepsItsRcode() {
        // jnamed's bug (docs/architecture.md: Pitfalls): NXDOMAIN with EDNS came out as rcode 51.
        Message query = Dns.query("nosuch." + ZONE, Type.AAAA);
        query.addRecord(new OPTRecord(1232, 0, 0, 0), Section.ADDITIONAL);
        byte[] wire = Dns.udp(port(false), query.toWire());
        assertEquals(Rcode.NXDOMAIN, wire[3] & 0x0F);
        Message response = Dns.parse(wire);
        assertEquals(0, response.getOPT().getExtendedRcode());
        assertEquals(Rcode.NXDOMAIN, response.getRcode());
    }

    @Test
    void answerTooLargeForUdpSetsTcWithoutPartialRrset() {
        Message query = Dns.query(LoopbackLab.BIG + "." + ZONE, Type.AAAA);
        byte[] wire = Dns.udp(port(false), query.toWire());
        assertNotNull(wire);
        assertTrue(wire.length <= 512, "within the classic UDP limit, got " + wire.length);
        Message response = Dns.parse(wire);
        assertTrue(response.getHeader().getFlag(Flags.TC), "TC set when the answer does not fit: " + response);
        assertEquals(0, response.getHeader().getCount(Section.ANSWER), "never a partial RRset");
        assertEquals(query.getHeader().getID(), response.getHeader().getID());
        assertEquals(query.getQuestion(), response.getQuestion(), "question kept so the client can match it");
    }

    @Test
    void truncatedEdnsAnswerKeepsItsOpt() {
        // RFC 6891 §7: the OPT record belongs in every response to an EDNS query, truncated ones too.
        Message query = Dns.query(LoopbackLab.BIG + "." + ZONE, Type.AAAA);
        query.addRecord(new OPTRecord(512, 0, 0, 0), Section.ADDITIONAL);
        byte[] wire = Dns.udp(port(false), query.toWire());
        assertTrue(wire.length <= 512, "within the client's 512, got " + wire.length);
        Message response = Dns.parse(wire);
        assertTrue(response.getHeader().getFlag(Flags.TC), response::toString);
        assertEquals(0, response.getHeader().getCount(Section.ANSWER));
        assertNotNull(response.getOPT(), "OPT kept: " + response);
    }

    @Test
    void tcpCarriesTheAnswerUdpCannot() {
        Message response = Dns.parse(Dns.tcp(port(true), Dns.query(LoopbackLab.BIG + "." + ZONE, Type.AAAA).toWire()));
        assertFalse(response.getHeader().getFlag(Flags.TC));
        List<String> addresses = addresses(response);
        assertEquals(16, addresses.size());
        assertEquals(Set.copyOf(normalized(LoopbackLab.BIG_ENDPOINTS)), Set.copyOf(addresses));
    }

    @Test
    void ednsPayloadLetsTheLargeAnswerThroughUdp() {
        Message query = Dns.query(LoopbackLab.BIG + "." + ZONE, Type.AAAA);
        query.addRecord(new OPTRecord(1232, 0, 0, 0), Section.ADDITIONAL);
        Message response = Dns.parse(Dns.udp(port(false), query.toWire()));
        assertFalse(response.getHeader().getFlag(Flags.TC));
        assertEquals(16, addresses(response).size());
    }

    @Test
    void truncatedAnswerMakesAClientRetryOverTcp() throws IOException {
        SimpleResolver resolver = Dns.resolver(port(false), false);
        resolver.setEDNS(null);
        Message response = resolver.send(Dns.query(LoopbackLab.BIG + "." + ZONE, Type.AAAA));
        assertEquals(16, addresses(response).size(), "dnsjava retries a TC answer over TCP on the same port");
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void questionIsEchoedByteForByteIncluding0x20Case(boolean tcp) {
        for (String name : new String[] {"A.pEaK.TeSt.", "wEb.PEAK.test.", "NoSuCh.peak.TEST.", "ExAmPlE.CoM.", "PEAK.test."}) {
            Message query = Dns.query(name, Type.AAAA);
            byte[] sent = query.toWire();
            byte[] received = tcp ? Dns.tcp(port(true), sent) : Dns.udp(port(false), sent);
            assertNotNull(received, name);
            assertEquals(1, ((received[4] & 0xFF) << 8) | (received[5] & 0xFF), "QDCOUNT for " + name);
            assertArrayEquals(Arrays.copyOfRange(sent, 12, sent.length), Arrays.copyOfRange(received, 12, sent.length),
                    "question section of " + name);
        }
    }

    @Test
    void serviceNamesMatchWhateverTheCase() {
        Message response = ask(port(false), false, "A.PEAK.TEST.", Type.AAAA);
        assertEquals(Rcode.NOERROR, response.getRcode());
        assertEquals(1, addresses(response).size());
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void recursionDesiredIsCopied(boolean tcp) {
        for (boolean rd : new boolean[] {true, false}) {
            for (String name : new String[] {"a." + ZONE, "nosuch." + ZONE, "example.com."}) {
                Message query = Dns.query(name, Type.AAAA);
                if (rd) {
                    query.getHeader().setFlag(Flags.RD);
                } else {
                    query.getHeader().unsetFlag(Flags.RD);
                }
                byte[] wire = tcp ? Dns.tcp(port(true), query.toWire()) : Dns.udp(port(false), query.toWire());
                Message response = Dns.parse(wire);
                assertEquals(rd, response.getHeader().getFlag(Flags.RD), "RD for " + name);
                assertFalse(response.getHeader().getFlag(Flags.RA), "never recursive");
            }
        }
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void idIsEchoed(boolean tcp) {
        for (int id : new int[] {0, 1, 0x1234, 0x8000, 0xFFFF}) {
            Message query = Dns.query("a." + ZONE, Type.AAAA);
            query.getHeader().setID(id);
            byte[] wire = tcp ? Dns.tcp(port(true), query.toWire()) : Dns.udp(port(false), query.toWire());
            assertEquals(id, Dns.parse(wire).getHeader().getID());
        }
    }

    private static void assertNxdomain(Message response) {
        assertEquals(Rcode.NXDOMAIN, response.getRcode(), response::toString);
        assertTrue(response.getHeader().getFlag(Flags.AA));
        assertTrue(response.getSection(Section.ANSWER).isEmpty());
        assertSoaInAuthority(response);
    }

    private static void assertNodata(Message response) {
        assertEquals(Rcode.NOERROR, response.getRcode(), response::toString);
        assertTrue(response.getHeader().getFlag(Flags.AA));
        assertTrue(response.getSection(Section.ANSWER).isEmpty(), response::toString);
        assertSoaInAuthority(response);
    }

    private static void assertSoaInAuthority(Message response) {
        List<Record> authority = response.getSection(Section.AUTHORITY);
        assertEquals(1, authority.size(), response::toString);
        SOARecord soa = (SOARecord) authority.get(0);
        assertEquals(Dns.name(ZONE), soa.getName(), "the zone's SOA");
        assertEquals(5, soa.getMinimum(), "negative TTL");
        assertEquals(5, soa.getTTL(), "negative TTL");
    }

    /** Addresses as dnsjava prints them (compressed IPv6 form). */
    private static List<String> normalized(List<String> addresses) {
        return addresses.stream().map(Dns::printed).toList();
    }
}
