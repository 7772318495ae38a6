package dev.peak.dns.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The fast path takes only queries it fully understands; everything else goes to the full parser. */
class FastQueryTest {

    private static final byte[] ORIGIN = Name.fromConstantString("peak.test.").toWireCanonical();

    private static byte[] query(String name, int type, int dclass) {
        Message m = Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, dclass));
        return m.toWire();
    }

    private static FastQuery parse(byte[] packet) {
        return FastQuery.parse(packet, ORIGIN, 1232, false);
    }

    @Test
    void plainServiceQueryIsTakenWithItsLabel() {
        FastQuery q = parse(query("a.peak.test.", Type.AAAA, DClass.IN));
        assertNotNull(q);
        assertEquals("a", q.label());
        assertEquals(Type.AAAA, q.qtype());
    }

    @Test
    void keyIgnoresCaseButNotTypeTransportOrEdnsSize() {
        byte[] lower = query("a.peak.test.", Type.AAAA, DClass.IN);
        assertEquals(parse(lower).key(), parse(query("A.PeAk.TEST.", Type.AAAA, DClass.IN)).key());
        assertNotEquals(parse(lower).key(), parse(query("a.peak.test.", Type.A, DClass.IN)).key());
        assertNotEquals(parse(lower).key(), FastQuery.parse(lower, ORIGIN, 1232, true).key());
        assertNotEquals(parse(lower).key(), parse(withOpt("a.peak.test.", 4096, 0, false)).key());
        assertNotEquals(parse(withOpt("a.peak.test.", 4096, 0, false)).key(), parse(withOpt("a.peak.test.", 1000, 0, false)).key());
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
    void deeperOrForeignNamesHaveNoServiceLabel() {
        assertNull(parse(query("x.a.peak.test.", Type.AAAA, DClass.IN)).label());
        assertNull(parse(query("a.example.org.", Type.AAAA, DClass.IN)).label());
        assertNull(parse(query("peak.test.", Type.SOA, DClass.IN)).label());
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
        assertNull(parse(forged).label());
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
        byte[] answer = template.clone();
        answer[2] |= 0x01;
        FastQuery q = parse(mixed);
        q.patch(answer, mixed);
        assertEquals(0x12, answer[0]);
        assertEquals(0x34, answer[1]);
        assertEquals(0, answer[2] & 0x01);
        assertArrayEquals(Arrays.copyOfRange(mixed, 12, q.questionEnd()), Arrays.copyOfRange(answer, 12, q.questionEnd()));
    }

    private static byte[] withOpt(String name, int payload, int version, boolean withOption) {
        Message m = Message.newQuery(Record.newRecord(Name.fromConstantString(name), Type.AAAA, DClass.IN));
        OPTRecord opt = withOption
                ? new OPTRecord(payload, 0, version, 0, new GenericEDNSOption(65001, new byte[] {1}))
                : new OPTRecord(payload, 0, version, 0);
        m.addRecord(opt, Section.ADDITIONAL);
        return m.toWire();
    }
}
