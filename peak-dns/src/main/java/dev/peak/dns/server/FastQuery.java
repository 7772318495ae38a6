package dev.peak.dns.server;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The common query read straight from the packet, without dnsjava: one question with an
 * uncompressed name, class IN, at most a bare EDNS0 OPT (version 0, no options). Anything else
 * returns null and takes the full path. The key identifies everything the answer bytes depend on
 * besides the selection: lower-cased name, type, UDP size limit, transport.
 *
 * @param key cache key
 * @param label the first label, lower case, when the name is exactly one label under the origin; else null
 * @param qtype question type
 * @param questionEnd offset just after the question section (name, type, class)
 */
record FastQuery(String key, String label, int qtype, int questionEnd) {

    private static final int HEADER = 12;
    private static final int TYPE_OPT = 41;

    static FastQuery parse(byte[] p, byte[] originWire, int ednsPayload, boolean tcp) {
        if (p.length < HEADER + 5 || (p[2] & 0xF8) != 0 // QR = 0, opcode QUERY (AA, TC ignored as in queries)
                || u16(p, 4) != 1 || u16(p, 6) != 0 || u16(p, 8) != 0 || u16(p, 10) > 1) {
            return null;
        }
        int i = HEADER;
        int labels = 0;
        int firstLabelEnd = -1;
        while (true) {
            if (i >= p.length) {
                return null;
            }
            int len = p[i] & 0xFF;
            if (len == 0) {
                i++;
                break;
            }
            if (len > 63 || i + 1 + len > p.length) {
                return null; // a pointer or a malformed label: the full parser decides
            }
            if (firstLabelEnd < 0) {
                firstLabelEnd = i + 1 + len;
            }
            labels++;
            i += 1 + len;
        }
        int nameEnd = i;
        if (nameEnd - HEADER > 255 || i + 4 > p.length || u16(p, i + 2) != 1) {
            return null; // class other than IN: full path (it answers REFUSED)
        }
        int qtype = u16(p, i);
        int questionEnd = i + 4;
        int limit;
        if (u16(p, 10) == 0) {
            if (questionEnd != p.length) {
                return null;
            }
            limit = tcp ? Authority.TCP_LIMIT : Authority.CLASSIC_UDP_LIMIT;
        } else {
            // OPT: root name, type 41, class = payload, TTL = ext-rcode/version/flags, RDLENGTH 0, nothing after
            int o = questionEnd;
            if (o + 11 != p.length || p[o] != 0 || u16(p, o + 1) != TYPE_OPT || p[o + 5] != 0 || p[o + 6] != 0 || u16(p, o + 9) != 0) {
                return null;
            }
            limit = tcp ? Authority.TCP_LIMIT : Math.max(Authority.CLASSIC_UDP_LIMIT, Math.min(u16(p, o + 3), ednsPayload));
        }
        byte[] name = Arrays.copyOfRange(p, HEADER, nameEnd);
        for (int j = 0; j < name.length; j++) {
            if (name[j] >= 'A' && name[j] <= 'Z') {
                name[j] += 'a' - 'A';
            }
        }
        String label = null;
        // The origin must start exactly after the first label, not inside a label that happens to hold its bytes.
        if (labels == countLabels(originWire) + 1 && firstLabelEnd - HEADER == name.length - originWire.length
                && endsWith(name, originWire)) {
            label = new String(name, 1, firstLabelEnd - HEADER - 1, StandardCharsets.ISO_8859_1);
        }
        String key = new String(name, StandardCharsets.ISO_8859_1) + '/' + qtype + '/' + limit
                + (u16(p, 10) == 0 ? "/plain" : "/edns");
        return new FastQuery(key, label, qtype, questionEnd);
    }

    /** Gives a cached answer this query's ID, RD flag and question bytes (so its 0x20 case). */
    void patch(byte[] answer, byte[] query) {
        answer[0] = query[0];
        answer[1] = query[1];
        answer[2] = (byte) ((answer[2] & ~0x01) | (query[2] & 0x01));
        System.arraycopy(query, HEADER, answer, HEADER, questionEnd - HEADER);
    }

    private static boolean endsWith(byte[] name, byte[] suffix) {
        if (suffix.length > name.length) {
            return false;
        }
        int offset = name.length - suffix.length;
        return Arrays.equals(name, offset, name.length, suffix, 0, suffix.length);
    }

    private static int countLabels(byte[] wire) {
        int n = 0;
        for (int i = 0; wire[i] != 0; i += 1 + wire[i]) {
            n++;
        }
        return n;
    }

    private static int u16(byte[] p, int i) {
        return ((p[i] & 0xFF) << 8) | (p[i + 1] & 0xFF);
    }
}
