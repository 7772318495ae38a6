package dev.peak.dns.server;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import dev.peak.dns.config.DnsConfig;
import dev.peak.dns.endpoint.Endpoint;
import dev.peak.dns.endpoint.IpLiterals;
import dev.peak.dns.zone.ServiceSpec;
import dev.peak.dns.zone.ServiceState;
import dev.peak.dns.zone.Zone;

/**
 * The authoritative answer to a query, built with dnsjava: the last step of the {@link QueryPipeline},
 * and what fills the {@link AnswerCache}. Never recursive; never throws: whatever arrives, the result
 * is an answer.
 */
@Singleton // called per query: an @ApplicationScoped client proxy looks its bean up on every call (profiled)
public class Authority {

    private static final Logger LOG = Logger.getLogger(Authority.class);

    /** Largest plain-DNS UDP answer (RFC 1035); EDNS clients may ask for more. */
    static final int CLASSIC_UDP_LIMIT = 512;
    static final int TCP_LIMIT = 65_535;
    private static final long NS_TTL = 300;

    private final Zone zone;
    private final DnsMetrics metrics;
    private final Name origin;
    private final Name nameserver;
    private final Name hostmaster;
    private final long negativeTtl;
    private final int ednsPayload;
    private final List<InetAddress> nameserverAddresses;
    private final byte[] originWire;

    public Authority(DnsConfig config, Zone zone, DnsMetrics metrics) {
        this.zone = zone;
        this.metrics = metrics;
        this.origin = absolute(config.zone());
        this.nameserver = Name.fromConstantString("ns." + origin);
        this.hostmaster = Name.fromConstantString("hostmaster." + origin);
        this.negativeTtl = config.negativeTtl();
        this.ednsPayload = Math.max(CLASSIC_UDP_LIMIT, config.ednsPayload());
        this.originWire = Name.fromConstantString(origin.toString().toLowerCase(Locale.ROOT)).toWireCanonical();
        this.nameserverAddresses = config.nameserverAddresses().orElse(List.of()).stream()
                .map(IpLiterals::parse).toList();
    }

    /** The origin in lower-case wire form, for the fast path to recognise names under it. */
    byte[] originWire() {
        return originWire;
    }

    /** The largest UDP answer offered to EDNS clients. */
    int ednsPayload() {
        return ednsPayload;
    }

    /** The answer to a packet that has a query header (the pipeline checked): FORMERR when the rest does not parse. */
    byte[] answer(byte[] packet, boolean tcp) {
        Message query;
        try {
            query = new Message(packet);
        } catch (IOException | RuntimeException e) {
            return formatError(packet);
        }
        try {
            Message response = answer(query, null);
            return wire(response, query.getOPT(), tcp);
        } catch (RuntimeException e) {
            LOG.warnf(e, "failed to answer a query; answering SERVFAIL");
            Message failure = reply(query, Rcode.SERVFAIL);
            return wire(failure, query.getOPT(), tcp);
        }
    }

    /** The answer with the endpoints the cache step chose (null: it chose none), for the cache to keep. */
    AnswerCache.Answer answer(byte[] packet, List<Endpoint> chosen, boolean tcp) throws IOException {
        Message query = new Message(packet);
        Message response = answer(query, chosen);
        return new AnswerCache.Answer(wire(response, query.getOPT(), tcp), response.getRcode());
    }

    /** The answer; {@code chosen}, when given, replaces the policy's own choice (the fast path chose already). */
    private Message answer(Message query, List<Endpoint> chosen) {
        Header header = query.getHeader();
        if (header.getOpcode() != Opcode.QUERY) {
            return reply(query, Rcode.NOTIMP);
        }
        // dnsjava forgives a cut-off message when its TC bit is set and leaves the sections half read, so
        // the header's count alone does not prove there is a question.
        if (header.getCount(Section.QUESTION) != 1 || query.getQuestion() == null || query.getSection(Section.ADDITIONAL).stream()
                .filter(r -> r.getType() == Type.OPT).count() > 1) {
            return reply(query, Rcode.FORMERR);
        }
        OPTRecord opt = query.getOPT();
        if (opt != null && opt.getVersion() != 0) {
            return reply(query, Rcode.BADVERS);
        }
        Record question = query.getQuestion();
        Name qname = question.getName();
        if (question.getDClass() != DClass.IN && question.getDClass() != DClass.ANY) {
            return reply(query, Rcode.REFUSED);
        }
        if (!qname.subdomain(origin)) {
            // RFC 8914: says why to whoever debugs a delegation that points here by mistake.
            return reply(query, Rcode.REFUSED, new ExtendedErrorCodeOption(ExtendedErrorCodeOption.NOT_AUTHORITATIVE));
        }
        int depth = qname.labels() - origin.labels();
        int qtype = question.getType();
        if (qtype == Type.AXFR || qtype == Type.IXFR) {
            // No zone transfers: the zone is the discovery sources' live view, which a secondary would copy stale.
            return reply(query, Rcode.REFUSED);
        }
        if (depth == 0) {
            return apex(query, qtype);
        }
        String label = qname.getLabelString(0).toLowerCase(Locale.ROOT);
        if (depth == 1 && label.equals(ServiceSpec.NAMESERVER_LABEL) && !nameserverAddresses.isEmpty()) {
            boolean hasIpv6 = nameserverAddresses.stream().anyMatch(a -> a instanceof Inet6Address);
            return addresses(query, qname, oneRrset(qtype, hasIpv6), nameserverAddresses, NS_TTL);
        }
        ServiceState service = depth == 1 ? zone.service(label) : null;
        if (service == null) {
            return negative(query, Rcode.NXDOMAIN);
        }
        int asked = oneRrset(qtype, service.hasFamily(true));
        boolean ipv6 = asked == Type.AAAA;
        if ((asked != Type.AAAA && asked != Type.A) || !service.hasFamily(ipv6)) {
            // NODATA at once, also for A: resolvers that ask A and AAAA together wait for both.
            return negative(query, Rcode.NOERROR);
        }
        Message response = reply(query, Rcode.NOERROR);
        long ttl = service.spec().ttl();
        for (Endpoint endpoint : chosen != null ? chosen : service.select(ipv6)) {
            response.addRecord(address(qname, ttl, endpoint.address()), Section.ANSWER);
        }
        return response;
    }

    /**
     * The type whose RRset answers {@code qtype}: itself, but for ANY one RRset only (RFC 8482), since
     * ANY is the amplifier's favourite query and no client needs every RRset. At a name of addresses
     * that is the RRset AAAA would get (A without IPv6 addresses), as Knot DNS answers; at the apex the
     * NS RRset with its glue, as Knot does too ({@link #apex}).
     */
    private static int oneRrset(int qtype, boolean hasIpv6) {
        return qtype != Type.ANY ? qtype : hasIpv6 ? Type.AAAA : Type.A;
    }

    private Message apex(Message query, int qtype) {
        Name qname = query.getQuestion().getName();
        Message response = reply(query, Rcode.NOERROR);
        if (qtype == Type.SOA) {
            response.addRecord(soa(qname), Section.ANSWER);
        }
        if (qtype == Type.NS || qtype == Type.ANY) { // ANY: this one RRset (oneRrset)
            response.addRecord(new NSRecord(qname, DClass.IN, NS_TTL, nameserver), Section.ANSWER);
            for (InetAddress glue : nameserverAddresses) {
                response.addRecord(address(nameserver, NS_TTL, glue), Section.ADDITIONAL);
            }
        }
        if (response.getSection(Section.ANSWER).isEmpty()) {
            response.addRecord(soa(origin), Section.AUTHORITY);
        }
        return response;
    }

    private Message addresses(Message query, Name qname, int qtype, List<InetAddress> all, long ttl) {
        boolean ipv6 = qtype == Type.AAAA;
        List<InetAddress> family = all.stream().filter(a -> (a instanceof Inet6Address) == ipv6).toList();
        if ((qtype != Type.AAAA && qtype != Type.A) || family.isEmpty()) {
            return negative(query, Rcode.NOERROR);
        }
        Message response = reply(query, Rcode.NOERROR);
        family.forEach(a -> response.addRecord(address(qname, ttl, a), Section.ANSWER));
        return response;
    }

    private Message negative(Message query, int rcode) {
        Message response = reply(query, rcode);
        response.addRecord(soa(origin), Section.AUTHORITY);
        return response;
    }

    /**
     * A reply that echoes ID, opcode, RD and the question (the query's own Name keeps its 0x20 case),
     * and, to an EDNS query, the DO bit (RFC 3225) with these {@code options}.
     */
    private Message reply(Message query, int rcode, EDNSOption... options) {
        Header in = query.getHeader();
        Message response = new Message(in.getID());
        Header out = response.getHeader();
        out.setFlag(Flags.QR);
        out.setOpcode(in.getOpcode());
        if (in.getFlag(Flags.RD)) {
            out.setFlag(Flags.RD);
        }
        // Authoritative only when the question was taken up: not when it was refused or not understood
        // (BADVERS: not in the EDNS version it was asked in).
        if (rcode != Rcode.NOTIMP && rcode != Rcode.FORMERR && rcode != Rcode.REFUSED && rcode != Rcode.BADVERS) {
            out.setFlag(Flags.AA);
        }
        // Extended rcodes (BADVERS = 16) keep their low 4 bits here, the rest go in the OPT record.
        out.setRcode(rcode & 0xF);
        Record question = query.getQuestion();
        if (question != null && in.getCount(Section.QUESTION) == 1) {
            response.addRecord(question, Section.QUESTION);
        }
        OPTRecord opt = query.getOPT();
        if (opt != null) {
            response.addRecord(new OPTRecord(ednsPayload, rcode >>> 4, 0, opt.getFlags() & ExtendedFlags.DO, options),
                    Section.ADDITIONAL);
        }
        metrics.answered(rcode);
        return response;
    }

    private byte[] wire(Message response, OPTRecord opt, boolean tcp) {
        if (tcp) {
            return response.toWire(TCP_LIMIT);
        }
        // dnsjava drops whole RRsets that do not fit and sets TC: the client retries over TCP.
        int limit = opt == null ? CLASSIC_UDP_LIMIT : Math.max(CLASSIC_UDP_LIMIT, Math.min(opt.getPayloadSize(), ednsPayload));
        byte[] wire = response.toWire(limit);
        if (Header.LENGTH <= wire.length && (wire[2] & 0x02) != 0) {
            metrics.truncated();
        }
        return wire;
    }

    /** FORMERR for a packet whose header parses but whose body does not: ID, opcode and RD echoed, nothing else. */
    private byte[] formatError(byte[] packet) {
        metrics.answered(Rcode.FORMERR);
        byte[] answer = new byte[Header.LENGTH];
        answer[0] = packet[0];
        answer[1] = packet[1];
        answer[2] = (byte) (0x80 | (packet[2] & 0x78) | (packet[2] & 0x01)); // QR, opcode, RD
        answer[3] = (byte) Rcode.FORMERR;
        return answer;
    }

    private SOARecord soa(Name owner) {
        return new SOARecord(owner, DClass.IN, negativeTtl, nameserver, hostmaster,
                zone.version() & 0xFFFF_FFFFL, 3600, 600, 86400, negativeTtl);
    }

    private static Record address(Name owner, long ttl, InetAddress address) {
        return address instanceof Inet6Address
                ? new AAAARecord(owner, DClass.IN, ttl, address)
                : new ARecord(owner, DClass.IN, ttl, address);
    }

    static Name absolute(String zone) {
        return Name.fromConstantString(zone.endsWith(".") ? zone : zone + ".");
    }
}
