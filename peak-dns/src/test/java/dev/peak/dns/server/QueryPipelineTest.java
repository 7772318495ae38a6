package dev.peak.dns.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import dev.peak.dns.Dns;
import dev.peak.dns.TestConfigs;
import dev.peak.dns.config.DnsConfig;
import dev.peak.dns.endpoint.IpLiterals;
import dev.peak.dns.policy.PolicyName;
import dev.peak.dns.zone.ServiceSpec.EndpointSpec;
import dev.peak.dns.zone.ServiceSpec.HealthSpec;
import dev.peak.dns.zone.ServiceSpec;
import dev.peak.dns.zone.Zone;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;

class QueryPipelineTest {

    private static final InetAddress CLIENT = IpLiterals.parse("2001:db8:1::1");

    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void rateLimitedUdpAnswersAreDroppedOrSlippedAfterTheyWereCountedAsBuilt() {
        QueryPipeline pipeline = pipeline(registry, "peak.dns.rrl.responses-per-second", "1", "peak.dns.rrl.slip", "2");
        byte[] query = Dns.query("a.peak.test.", Type.AAAA).toWire();
        answer(pipeline, query, IpLiterals.parse("2001:db8:2::1"), false); // another /56: warms up, limits nobody here

        assertEquals(1, Dns.parse(answer(pipeline, query, CLIENT, false)).getSection(Section.ANSWER).size(), "within the rate");
        for (int i = 0; i < 2; i++) {
            assertNull(answer(pipeline, query, CLIENT, false), "dropped");
            Message slipped = Dns.parse(answer(pipeline, query, CLIENT, false));
            assertTrue(slipped.getHeader().getFlag(Flags.TC), "slipped: sent truncated");
            assertEquals(0, slipped.getSection(Section.ANSWER).size());
        }
        assertEquals(2, count("peak.dns.rrl", "verdict", "drop"));
        assertEquals(2, count("peak.dns.rrl", "verdict", "slip"));
        assertEquals(6, count("peak.dns.responses", "rcode", "NOERROR"), "every answer built, limited or not");
    }

    @Test
    void tcpAnswersAreNeverRateLimited() {
        QueryPipeline pipeline = pipeline(registry, "peak.dns.rrl.responses-per-second", "1", "peak.dns.rrl.slip", "0");
        byte[] query = Dns.query("a.peak.test.", Type.AAAA).toWire();
        for (int i = 0; i < 5; i++) {
            assertEquals(1, Dns.parse(answer(pipeline, query, CLIENT, true)).getSection(Section.ANSWER).size(), "query " + i);
        }
        assertEquals(0, registry.find("peak.dns.rrl").counters().size());
    }

    @Test
    void anyAtAServiceIsAnsweredByItsPolicyEveryTime() {
        // The answer cache keeps one answer per name for types other than A and AAAA: ANY must not
        // freeze the rotation on the endpoint of the first answer.
        QueryPipeline pipeline = pipeline(registry, List.of("2001:db8::1", "2001:db8::2"));
        byte[] query = Dns.query("a.peak.test.", Type.ANY).toWire();
        List<String> answered = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Message response = Dns.parse(answer(pipeline, query, CLIENT, false));
            assertEquals(Type.AAAA, response.getSection(Section.ANSWER).get(0).getType(), response::toString);
            answered.addAll(Dns.addresses(response));
        }
        assertEquals(Stream.of("2001:db8::1", "2001:db8::2", "2001:db8::1", "2001:db8::2").map(Dns::printed).toList(), answered,
                "round-robin");
    }

    @Test
    void dnssecOkBitIsCopiedIntoTheAnswer() {
        // RFC 3225 §3; the answer cache keeps answers by EDNS or not, so it must not hand one query's DO to another.
        QueryPipeline pipeline = pipeline(registry);
        for (boolean dnssecOk : new boolean[] {false, true, false, true}) {
            Message query = Dns.query("a.peak.test.", Type.AAAA);
            query.addRecord(new OPTRecord(1232, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
            Message response = Dns.parse(answer(pipeline, query.toWire(), CLIENT, false));
            assertEquals(1, response.getSection(Section.ANSWER).size(), response::toString);
            assertEquals(dnssecOk, (response.getOPT().getFlags() & ExtendedFlags.DO) != 0, "DO " + dnssecOk + ": " + response);
        }
    }

    /** The pipeline's answer as bytes (null for none), its buffer released. */
    private static byte[] answer(QueryPipeline pipeline, byte[] query, InetAddress client, boolean tcp) {
        ByteBuf answer = pipeline.answer(query, query.length, client, tcp, UnpooledByteBufAllocator.DEFAULT);
        if (answer == null) {
            return null;
        }
        try {
            return ByteBufUtil.getBytes(answer);
        } finally {
            answer.release();
        }
    }

    /** A pipeline over the zone {@code peak.test.} with one service, {@code a}, of one IPv6 endpoint (health off). */
    static QueryPipeline pipeline(MeterRegistry registry, String... config) {
        return pipeline(registry, List.of("2001:db8::1"), config);
    }

    /** The same with these endpoints for {@code a}, round-robin. */
    static QueryPipeline pipeline(MeterRegistry registry, List<String> endpoints, String... config) {
        DnsConfig dns = TestConfigs.dnsConfig(config);
        Zone zone = new Zone(dns, registry);
        zone.apply("static", Map.of("a", new ServiceSpec("a", PolicyName.ROUND_ROBIN, 1, 5, 8080,
                new HealthSpec("/", Duration.ZERO, Duration.ZERO, 1, 1),
                endpoints.stream().map(e -> new EndpointSpec(IpLiterals.parse(e), 1)).toList())));
        DnsMetrics metrics = new DnsMetrics(registry);
        return new QueryPipeline(dns, zone, new Authority(dns, zone, metrics), metrics);
    }

    private double count(String name, String tag, String value) {
        var counter = registry.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

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

        byte[] slipped = QueryPipeline.truncated(wire);
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
        byte[] slipped = QueryPipeline.truncated(formerr.toWire());
        assertEquals(12, slipped.length);
        assertTrue(Dns.parse(slipped).getHeader().getFlag(Flags.TC));
    }
}
