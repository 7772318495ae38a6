package dev.peak.dns.server;

import java.net.InetAddress;
import java.util.Arrays;

import jakarta.inject.Singleton;

import org.xbill.DNS.Header;
import org.xbill.DNS.Type;

import dev.peak.dns.config.DnsConfig;
import dev.peak.dns.rrl.ResponseRateLimiter;
import dev.peak.dns.zone.Zone;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * What every query goes through, whatever transport brought it, in the manner of CoreDNS's plugin
 * chain: packets that deserve no answer are dropped, the {@link AnswerCache} answers the common
 * queries ({@link #cacheCanAnswer}), the {@link Authority} everything else, and response rate
 * limiting (UDP only) decides whether the answer goes out, goes out truncated, or not at all.
 */
@Singleton // not a lazy proxy: built with the server, so a wrong setting stops start-up, not the first query
public class QueryPipeline {

    private final AnswerCache cache;
    private final Authority authority;
    private final DnsMetrics metrics;
    private final ResponseRateLimiter limiter;
    private final boolean rateLimiting;

    public QueryPipeline(DnsConfig config, Zone zone, Authority authority, DnsMetrics metrics) {
        this.cache = new AnswerCache(zone, authority, metrics);
        this.authority = authority;
        this.metrics = metrics;
        this.rateLimiting = config.rrl().responsesPerSecond() > 0;
        this.limiter = new ResponseRateLimiter(config.rrl().responsesPerSecond(), config.rrl().slip(),
                config.rrl().maxPrefixes(), System::nanoTime);
    }

    /**
     * What to send back for the first {@code length} bytes of {@code packet}, a query from {@code client}:
     * its answer, a truncated answer (slip), or null for nothing. The answer is a buffer from
     * {@code alloc}, which the caller writes (and so releases).
     */
    public ByteBuf answer(byte[] packet, int length, InetAddress client, boolean tcp, ByteBufAllocator alloc) {
        if (length < Header.LENGTH) {
            metrics.dropped("short");
            return null;
        }
        if ((packet[2] & 0x80) != 0) {
            // A response sent to us, well-formed or not: answering (even FORMERR) could start a loop
            // between two servers, or reflect spoofed traffic.
            metrics.dropped("response");
            return null;
        }
        ByteBuf answer = cacheCanAnswer(packet, length) ? cache.answer(packet, length, tcp, alloc) : null;
        if (answer == null) {
            byte[] built = authority.answer(Arrays.copyOf(packet, length), tcp);
            answer = alloc.ioBuffer(built.length).writeBytes(built);
        }
        // Over TCP the client's address is proven by the handshake: nothing to reflect, nothing to limit.
        if (tcp || !rateLimiting) {
            return answer;
        }
        return switch (limiter.check(client)) {
            case SEND -> answer;
            case SLIP -> {
                metrics.rateLimited("slip");
                byte[] slipped = truncated(ByteBufUtil.getBytes(answer));
                answer.clear().writeBytes(slipped);
                yield answer;
            }
            case DROP -> {
                metrics.rateLimited("drop");
                answer.release();
                yield null;
            }
        };
    }

    /**
     * Whether the answer cache may answer this query: not when the answer depends on what the cache's
     * key leaves out. ANY at a service gets the addresses its policy chooses (Authority), where the
     * cache keeps one answer per name for every type but A and AAAA; the DO bit of an EDNS query must
     * be copied into the answer (RFC 3225), and the key holds EDNS or not, not the flags. Reads the
     * query as the cache does (a question with an uncompressed name, then at most an OPT); whatever it
     * does not recognise, the cache's own parser decides.
     */
    static boolean cacheCanAnswer(byte[] query, int length) {
        int at = Header.LENGTH;
        while (at < length && query[at] != 0) {
            if ((query[at] & 0xC0) != 0) {
                return true; // a compressed or malformed name: not the cache's kind of query
            }
            at += (query[at] & 0xFF) + 1;
        }
        int qtype = at + 3 <= length ? u16(query, at + 1) : -1;
        if (qtype == Type.ANY) {
            return false;
        }
        int opt = at + 5; // after the root label, QTYPE and QCLASS
        boolean oneAdditional = u16(query, 10) == 1;
        return !(oneAdditional && opt + 9 <= length && query[opt] == 0 && u16(query, opt + 1) == Type.OPT
                && (query[opt + 7] & 0x80) != 0); // the DO bit: the top bit of the OPT's flags
    }

    private static int u16(byte[] p, int i) {
        return ((p[i] & 0xFF) << 8) | (p[i + 1] & 0xFF);
    }

    /**
     * The header and question with TC set and no records: tells a real client to ask again over TCP.
     * The question stays because stub resolvers (glibc's res_queriesmatch) drop a reply whose question
     * section differs from their query's, and would wait for their timeout instead.
     */
    static byte[] truncated(byte[] answer) {
        int end = questionEnd(answer);
        byte[] slipped = Arrays.copyOf(answer, end);
        slipped[2] |= 0x02;
        if (end == Header.LENGTH) {
            slipped[4] = 0;
            slipped[5] = 0;
        }
        for (int i = 6; i < Header.LENGTH; i++) {
            slipped[i] = 0;
        }
        return slipped;
    }

    /** Where the one question of our own answer ends; the header's end when there is none. */
    private static int questionEnd(byte[] answer) {
        if (answer.length <= Header.LENGTH || answer[4] != 0 || answer[5] != 1) {
            return Header.LENGTH;
        }
        // The question's name comes first in the message, so it is never compressed.
        int at = Header.LENGTH;
        while (at < answer.length && answer[at] != 0) {
            at += (answer[at] & 0xFF) + 1;
        }
        at += 1 + 4; // the root label, QTYPE, QCLASS
        return at <= answer.length ? at : Header.LENGTH;
    }
}
