package dev.peak.dns.server;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.netty.buffer.ByteBuf;

/**
 * The common query read straight from the packet, without dnsjava and without allocating: one
 * question with an uncompressed name, class IN, a type other than ANY, and at most one EDNS0 OPT of
 * version 0 without the DO bit whose only option, if any, is a well-formed DNS COOKIE. Anything else
 * fails {@link #parse} and takes the full path: ANY gets the addresses the policy picks now (RFC 8482),
 * and DO must be copied into the answer (RFC 3225), neither of which a kept answer does. A parser is
 * reused query after query by one thread; it holds what the last parse found: the key of the answer's
 * bytes (lower-cased name, type, UDP size limit, EDNS or not) and its hash.
 *
 * <p>A COOKIE (RFC 7873; dig sends one by default) changes nothing in the answer: peak-dns has no
 * server cookies, and a server without them ignores the option (RFC 7873 §5.2, RFC 6891 §6.1.2), as
 * the full path does too.
 */
final class FastQuery {

    private static final int HEADER = 12;
    private static final int TYPE_OPT = 41;
    private static final int TYPE_ANY = 255;
    /** The DO bit: the top bit of the OPT record's flags, the TTL's third byte. */
    private static final int FLAG_DO = 0x80;
    private static final int OPTION_COOKIE = 10;
    private static final int CLIENT_COOKIE = 8;
    private static final int MIN_SERVER_COOKIE = 8;
    private static final int MAX_SERVER_COOKIE = 32;

    private final byte[] originWire;
    private final int ednsPayload;

    private int nameEnd;
    private int firstLabelEnd;
    private boolean underOrigin;
    private int qtype;
    private int limit;
    private boolean edns;
    private int questionEnd;
    private int hash;

    /**
     * @param originWire the zone's origin, lower case, wire form
     * @param ednsPayload the largest UDP answer offered to EDNS clients
     */
    FastQuery(byte[] originWire, int ednsPayload) {
        this.originWire = originWire;
        this.ednsPayload = ednsPayload;
    }

    /** Reads the first {@code length} bytes of {@code p}; false when the query is not a common one. */
    boolean parse(byte[] p, int length, boolean tcp) {
        if (length < HEADER + 5 || (p[2] & 0xF8) != 0 // QR = 0, opcode QUERY (AA, TC ignored as in queries)
                || u16(p, 4) != 1 || u16(p, 6) != 0 || u16(p, 8) != 0 || u16(p, 10) > 1) {
            return false;
        }
        int i = HEADER;
        int nameHash = 1;
        firstLabelEnd = -1;
        while (true) {
            if (i >= length) {
                return false;
            }
            int len = p[i] & 0xFF;
            if (len == 0) {
                i++;
                break;
            }
            if (len > 63 || i + 1 + len > length) {
                return false; // a pointer or a malformed label: the full parser decides
            }
            if (firstLabelEnd < 0) {
                firstLabelEnd = i + 1 + len;
            }
            nameHash = 31 * nameHash + len;
            for (int j = i + 1; j <= i + len; j++) {
                nameHash = 31 * nameHash + lower(p[j]);
            }
            i += 1 + len;
        }
        nameEnd = i;
        if (nameEnd - HEADER > 255 || i + 4 > length || u16(p, i + 2) != 1) {
            return false; // class other than IN: full path (it answers REFUSED)
        }
        qtype = u16(p, i);
        if (qtype == TYPE_ANY) {
            return false;
        }
        questionEnd = i + 4;
        edns = u16(p, 10) == 1;
        if (!edns) {
            if (questionEnd != length) {
                return false;
            }
            limit = tcp ? Authority.TCP_LIMIT : Authority.CLASSIC_UDP_LIMIT;
        } else {
            // OPT: root name, type 41, class = payload, TTL = ext-rcode/version/flags, RDLENGTH, options
            int o = questionEnd;
            if (o + 11 > length || p[o] != 0 || u16(p, o + 1) != TYPE_OPT || p[o + 5] != 0 || p[o + 6] != 0
                    || (p[o + 7] & FLAG_DO) != 0 || o + 11 + u16(p, o + 9) != length || !onlyCookie(p, o + 11, length)) {
                return false;
            }
            limit = tcp ? Authority.TCP_LIMIT : Math.max(Authority.CLASSIC_UDP_LIMIT, Math.min(u16(p, o + 3), ednsPayload));
        }
        // The origin must start exactly after the first label, not inside a label that happens to hold its bytes.
        underOrigin = nameEnd - firstLabelEnd == originWire.length
                && equalsIgnoreCase(p, firstLabelEnd, originWire);
        hash = mix(31 * (31 * (31 * nameHash + qtype) + limit) + (edns ? 1 : 0));
        return true;
    }

    /** No options, or exactly one COOKIE of a valid length: a client cookie, alone or with a server cookie. */
    private static boolean onlyCookie(byte[] p, int from, int to) {
        if (from == to) {
            return true;
        }
        if (to - from < 4 || u16(p, from) != OPTION_COOKIE || from + 4 + u16(p, from + 2) != to) {
            return false;
        }
        int size = u16(p, from + 2);
        return size == CLIENT_COOKIE || (size >= CLIENT_COOKIE + MIN_SERVER_COOKIE && size <= CLIENT_COOKIE + MAX_SERVER_COOKIE);
    }

    int hash() {
        return hash;
    }

    int qtype() {
        return qtype;
    }

    /** Whether the answer built for {@code key} fits this query (same name in any case, type, limit, EDNS). */
    boolean matches(Key key, byte[] p) {
        byte[] name = key.name();
        return key.qtype() == qtype && key.limit() == limit && key.edns() == edns
                && name.length == nameEnd - HEADER && equalsIgnoreCase(p, HEADER, name);
    }

    /** The key of this query's answer, to remember it by (allocates: only when an answer is built). */
    Key key(byte[] p) {
        byte[] name = Arrays.copyOfRange(p, HEADER, nameEnd);
        for (int j = 0; j < name.length; j++) {
            name[j] = lower(name[j]);
        }
        return new Key(name, qtype, limit, edns);
    }

    /** The first label, lower case, when the name is exactly one label under the origin; else null. */
    String label(byte[] p) {
        if (!underOrigin) {
            return null;
        }
        byte[] label = Arrays.copyOfRange(p, HEADER + 1, firstLabelEnd);
        for (int j = 0; j < label.length; j++) {
            label[j] = lower(label[j]);
        }
        return new String(label, StandardCharsets.ISO_8859_1);
    }

    /** Gives an answer kept for this query's key this query's ID, RD flag and question bytes (so its 0x20 case). */
    void patch(ByteBuf answer, byte[] query) {
        int at = answer.readerIndex();
        answer.setByte(at, query[0]);
        answer.setByte(at + 1, query[1]);
        answer.setByte(at + 2, (answer.getByte(at + 2) & ~0x01) | (query[2] & 0x01));
        answer.setBytes(at + HEADER, query, HEADER, questionEnd - HEADER);
    }

    /** What an answer's bytes depend on besides the selection; {@code name} is lower case, wire form. */
    record Key(byte[] name, int qtype, int limit, boolean edns) {
    }

    private static boolean equalsIgnoreCase(byte[] p, int from, byte[] lowerCase) {
        for (int j = 0; j < lowerCase.length; j++) {
            if (lower(p[from + j]) != lowerCase[j]) {
                return false;
            }
        }
        return true;
    }

    private static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
    }

    /** MurmurHash3's finaliser: spreads the name's hash over the bits the cache's table index uses. */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85eb_ca6b;
        h ^= h >>> 13;
        h *= 0xc2b2_ae35;
        return h ^ (h >>> 16);
    }

    private static int u16(byte[] p, int i) {
        return ((p[i] & 0xFF) << 8) | (p[i + 1] & 0xFF);
    }
}
