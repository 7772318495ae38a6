package dev.peak.dns.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** The fast path takes only queries it fully understands; everything else goes to the full parser. */
class FastQueryTest {

    private static final byte[] ORIGIN = Name.fromConstantString("peak.test.").toWireCanonical();

    private static byte[] query(String name, int type, int dclass) {
        Message m = Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, dclass));
        return m.toWire();
    }

    private static FastQuery parse(byte[] packet) {
        return parse(packet, false);
    }

    private static FastQuery parse(byte[] packet, boolean tcp) {
        FastQuery query = new FastQuery(ORIGIN, 1232);
        return query.parse(packet, packet.length, tcp) ? query : null;
    }

    /** Whether the answer kept for query {@code a} serves query {@code b}: same hash and a matching key. */
    private static boolean sameAnswer(byte[] a, boolean tcpA, byte[] b, boolean tcpB) {
        FastQuery first = parse(a, tcpA);
        FastQuery second = parse(b, tcpB);
        return first.hash() == second.hash() && second.matches(first.key(a), b);
    }

    private static boolean sameAnswer(byte[] a, byte[] b) {
        return sameAnswer(a, false, b, false);
    }

    @Test
    void plainServiceQueryIsTakenWithItsLabel() {
        byte[] packet = query("a.peak.test.", Type.AAAA, DClass.IN);
        FastQuery q = parse(packet);
        assertNotNull(q);
        assertEquals("a", q.label(packet));
        assertEquals(Type.AAAA, q.qtype());
    }

    @Test
    void keyIgnoresCaseButNotTypeTransportOrEdnsSize() {
        byte[] lower = query("a.peak.test.", Type.AAAA, DClass.IN);
        assertTrue(sameAnswer(lower, query("A.PeAk.TEST.", Type.AAAA, DClass.IN)));
        assertFalse(sameAnswer(lower, query("a.peak.test.", Type.A, DClass.IN)));
        assertFalse(sameAnswer(lower, query("b.peak.test.", Type.AAAA, DClass.IN)));
        assertFalse(sameAnswer(lower, false, lower, true));
        assertFalse(sameAnswer(lower, withOpt("a.peak.test.", 4096, 0, false)));
        assertFalse(sameAnswer(withOpt("a.peak.test.", 4096, 0, false), withOpt("a.peak.test.", 1000, 0, false)));
    }

    @Test
    void bareEdnsQueryIsTaken() {
        assertNotNull(parse(withOpt("a.peak.test.", 1232, 0, false)));
    }

    @Test
    void ednsWithOptionsOrOtherVersionGoesToTheFullPath() {
        assertNull(parse(withOpt("a.peak.test.", 1232, 1, false)));
        assertNull(parse(withOpt("a.peak.test.", 1232, 0, true)));
    }

    @Test
    void wellFormedCookieIsTakenAndIgnoredAsByAServerWithoutServerCookies() {
        byte[] bare = withOpt("a.peak.test.", 1232, 0, false);
        byte[] clientCookie = withOptions("a.peak.test.", new CookieOption(new byte[8]));
        byte[] bothCookies = withOptions("a.peak.test.", new CookieOption(new byte[8], new byte[16]));
        assertTrue(sameAnswer(bare, clientCookie), "a client cookie alone");
        assertTrue(sameAnswer(bare, bothCookies), "a client cookie with a server cookie from elsewhere");
    }

    /** ANY gets the addresses the policy picks (RFC 8482), DO is copied (RFC 3225): a kept answer does neither. */
    @Test
    void anyAndDnssecOkQueriesTakeTheFullPath() {
        assertNotNull(parse(withOptions("a.peak.test.")), "plain EDNS");
        assertNull(parse(query("a.peak.test.", Type.ANY, DClass.IN)), "ANY");
        Message dnssecOk = Message.newQuery(Record.newRecord(Name.fromConstantString("a.peak.test."), Type.AAAA, DClass.IN));
        dnssecOk.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
        assertNull(parse(dnssecOk.toWire()), "DO");
    }

    @Test
    void malformedCookieOrCookieWithOtherOptionsGoesToTheFullPath() {
        byte[] bare = withOpt("a.peak.test.", 1232, 0, false);
        // RDLENGTH 9, then COOKIE of length 5: too short for a client cookie
        byte[] cut = Arrays.copyOf(bare, bare.length + 9);
        cut[bare.length - 1] = 9;
        cut[bare.length + 1] = 10;
        cut[bare.length + 3] = 5;
        assertNull(parse(cut), "a 5-byte cookie");
        assertNull(parse(withOptions("a.peak.test.", new CookieOption(new byte[8]), new GenericEDNSOption(65001, new byte[] {1}))),
                "a cookie and another option");
    }

    @Test
    void deeperOrForeignNamesHaveNoServiceLabel() {
        for (byte[] packet : List.of(query("x.a.peak.test.", Type.AAAA, DClass.IN), query("a.example.org.", Type.AAAA, DClass.IN),
                query("peak.test.", Type.SOA, DClass.IN))) {
            assertNull(parse(packet).label(packet));
        }
    }

    @Test
    void originBytesInsideALabelAreNotTheOrigin() {
        // labels "x" and "a\u0004peak" and "test": the last 11 bytes spell \u0004peak\u0004test\0 but the
        // name is not under peak.test.
        byte[] packet = query("x.peak.test.", Type.AAAA, DClass.IN);
        byte[] name = {1, 'x', 6, 'a', 4, 'p', 'e', 'a', 'k', 4, 't', 'e', 's', 't', 0};
        byte[] forged = new byte[12 + name.length + 4];
        System.arraycopy(packet, 0, forged, 0, 12);
        System.arraycopy(name, 0, forged, 12, name.length);
        forged[forged.length - 3] = Type.AAAA;
        forged[forged.length - 1] = DClass.IN;
        assertNull(parse(forged).label(forged));
    }

    @Test
    void anythingUnusualGoesToTheFullPath() {
        byte[] plain = query("a.peak.test.", Type.AAAA, DClass.IN);
        assertNull(parse(query("a.peak.test.", Type.AAAA, DClass.CH)), "class CH");
        byte[] response = plain.clone();
        response[2] |= (byte) 0x80;
        assertNull(parse(response), "QR set");
        byte[] notify = plain.clone();
        notify[2] |= (byte) (Opcode.NOTIFY << 3);
        assertNull(parse(notify), "opcode NOTIFY");
        byte[] twoQuestions = plain.clone();
        twoQuestions[5] = 2;
        assertNull(parse(twoQuestions), "QDCOUNT 2");
        byte[] pointer = plain.clone();
        pointer[12] = (byte) 0xC0;
        assertNull(parse(pointer), "compression pointer");
        assertNull(parse(Arrays.copyOf(plain, plain.length + 1)), "trailing byte");
        assertNull(parse(Arrays.copyOf(plain, plain.length - 1)), "cut short");
    }

    @Test
    void patchCopiesIdRdAndTheQuestionsCase() {
        byte[] template = query("a.peak.test.", Type.AAAA, DClass.IN);
        byte[] mixed = query("A.pEaK.TeSt.", Type.AAAA, DClass.IN);
        mixed[0] = 0x12;
        mixed[1] = 0x34;
        mixed[2] &= (byte) 0xFE; // RD cleared
        byte[] kept = template.clone();
        kept[2] |= 0x01;
        ByteBuf answer = Unpooled.wrappedBuffer(kept);
        parse(mixed).patch(answer, mixed);
        assertEquals(0x12, kept[0]);
        assertEquals(0x34, kept[1]);
        assertEquals(0, kept[2] & 0x01);
        assertArrayEquals(Arrays.copyOfRange(mixed, 12, mixed.length), Arrays.copyOfRange(kept, 12, mixed.length));
    }

    private static byte[] withOpt(String name, int payload, int version, boolean withOption) {
        Message m = Message.newQuery(Record.newRecord(Name.fromConstantString(name), Type.AAAA, DClass.IN));
        OPTRecord opt = withOption
                ? new OPTRecord(payload, 0, version, 0, new GenericEDNSOption(65001, new byte[] {1}))
                : new OPTRecord(payload, 0, version, 0);
        m.addRecord(opt, Section.ADDITIONAL);
        return m.toWire();
    }

    private static byte[] withOptions(String name, EDNSOption... options) {
        Message m = Message.newQuery(Record.newRecord(Name.fromConstantString(name), Type.AAAA, DClass.IN));
        m.addRecord(new OPTRecord(1232, 0, 0, 0, options), Section.ADDITIONAL);
        return m.toWire();
    }
}
