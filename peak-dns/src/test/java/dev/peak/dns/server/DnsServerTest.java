package dev.peak.dns.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import dev.peak.dns.Dns;

class DnsServerTest {

    @Test
    void slippedAnswerKeepsTheQuestionSoStubResolversAcceptIt() throws Exception {
        // glibc (res_queriesmatch) ignores a reply whose question differs from the query's, QDCOUNT
        // included: a header-only TC slip would make it wait for its timeout instead of retrying over TCP.
        Message query = Dns.query("WeB.peak.TEST.", Type.AAAA);
        Message answer = new Message(query.getHeader().getID());
        answer.getHeader().setFlag(Flags.QR);
        answer.getHeader().setFlag(Flags.AA);
        answer.addRecord(query.getQuestion(), Section.QUESTION);
        for (int i = 1; i <= 3; i++) {
            answer.addRecord(new AAAARecord(query.getQuestion().getName(), DClass.IN, 5, InetAddress.getByName("2001:db8::" + i)),
                    Section.ANSWER);
        }
        answer.addRecord(new OPTRecord(1232, 0, 0, 0), Section.ADDITIONAL);
        byte[] wire = answer.toWire();

        byte[] slipped = DnsServer.truncated(wire);
        Message parsed = Dns.parse(slipped);
        assertTrue(parsed.getHeader().getFlag(Flags.TC));
        assertTrue(parsed.getHeader().getFlag(Flags.QR));
        assertEquals(query.getHeader().getID(), parsed.getHeader().getID());
        assertEquals(1, parsed.getHeader().getCount(Section.QUESTION));
        assertEquals(0, parsed.getHeader().getCount(Section.ANSWER));
        assertEquals(0, parsed.getHeader().getCount(Section.AUTHORITY));
        assertEquals(0, parsed.getHeader().getCount(Section.ADDITIONAL));
        byte[] question = Arrays.copyOfRange(query.toWire(), 12, query.toWire().length);
        assertArrayEquals(question, Arrays.copyOfRange(slipped, 12, slipped.length), "the question byte for byte");
    }

    @Test
    void slippedAnswerWithoutQuestionIsTheHeaderAlone() throws Exception {
        Message formerr = new Message(7);
        formerr.getHeader().setFlag(Flags.QR);
        formerr.getHeader().setRcode(Rcode.FORMERR);
        byte[] slipped = DnsServer.truncated(formerr.toWire());
        assertEquals(12, slipped.length);
        assertTrue(Dns.parse(slipped).getHeader().getFlag(Flags.TC));
    }
}
