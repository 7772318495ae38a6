package dev.peak.dns.server;

import java.net.InetAddress;
import java.util.Arrays;

import jakarta.inject.Singleton;

import org.xbill.DNS.Header;

import dev.peak.dns.config.DnsConfig;
import dev.peak.dns.rrl.ResponseRateLimiter;
import dev.peak.dns.zone.Zone;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * What every query goes through, whatever transport brought it, in the manner of CoreDNS's plugin
 * chain: packets that deserve no answer are dropped, the {@link AnswerCache} answers the common
 * queries, the {@link Authority} everything else, and response rate limiting (UDP only) decides
 * whether the answer goes out, goes out truncated, or not at all.
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
        ByteBuf answer = cache.answer(packet, length, tcp, alloc);
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
