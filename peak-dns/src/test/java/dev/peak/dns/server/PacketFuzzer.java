package dev.peak.dns.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import dev.peak.dns.LoopbackLab;

/**
 * Seeded generator of DNS packets for robustness tests: a third valid queries with random names,
 * types, classes, flags and EDNS; a third such queries mutated (bit flips, truncation, insertions,
 * count rewrites); a third pure random bytes. Built by hand rather than with dnsjava so that it can
 * say things dnsjava would refuse to (labels with any byte, OPT versions, duplicate OPTs).
 */
final class PacketFuzzer {

    private static final List<String> SERVICES = List.of(LoopbackLab.A, LoopbackLab.PAIR, LoopbackLab.V4,
            LoopbackLab.BIG, LoopbackLab.WEB, LoopbackLab.LEAST, LoopbackLab.LOOP6, "ns", "nosuch");
    private static final int[] TYPES = {1, 28, 6, 2, 16, 15, 255, 252, 251, 41, 0, 33, 65, 64, 99, 65_535};

    private final Random random;

    PacketFuzzer(long seed) {
        this.random = new Random(seed);
    }

    byte[] next() {
        return switch (random.nextInt(3)) {
            case 0 -> validQuery();
            case 1 -> mutate(validQuery());
            default -> randomBytes(random.nextInt(600));
        };
    }

    /** A query that parses; its answer may still be anything from NOERROR to BADVERS. */
    byte[] validQuery() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        int questions = random.nextInt(20) == 0 ? random.nextInt(3) : 1;
        boolean edns = random.nextInt(10) < 4;
        int opts = edns ? (random.nextInt(30) == 0 ? 2 : 1) : 0;
        out.write(random.nextInt(256));
        out.write(random.nextInt(256));
        int opcode = random.nextInt(10) == 0 ? random.nextInt(16) : 0;
        // QR clear; opcode; AA, TC random; RD random
        out.write((opcode << 3) | (random.nextInt(8) & 0x07));
        // RA, Z, AD, CD random, rcode random now and then
        out.write((random.nextInt(16) << 4) | (random.nextInt(10) == 0 ? random.nextInt(16) : 0));
        writeShort(out, questions);
        writeShort(out, 0);
        writeShort(out, 0);
        writeShort(out, opts);
        for (int q = 0; q < questions; q++) {
            writeName(out);
            writeShort(out, random.nextInt(4) == 0 ? random.nextInt(65_536) : TYPES[random.nextInt(TYPES.length)]);
            int qclass = switch (random.nextInt(12)) {
                case 0 -> 3;
                case 1 -> 255;
                case 2 -> 254;
                case 3 -> random.nextInt(65_536);
                default -> 1;
            };
            writeShort(out, qclass);
        }
        for (int o = 0; o < opts; o++) {
            out.write(0); // root
            writeShort(out, 41);
            writeShort(out, random.nextInt(4) == 0 ? random.nextInt(65_536) : 1232);
            out.write(random.nextInt(20) == 0 ? random.nextInt(256) : 0); // extended rcode
            out.write(random.nextInt(8) == 0 ? random.nextInt(256) : 0); // version
            writeShort(out, random.nextBoolean() ? 0x8000 : 0); // DO
            ByteArrayOutputStream options = new ByteArrayOutputStream();
            for (int i = random.nextInt(3); i > 0; i--) {
                int code = random.nextBoolean() ? new int[] {8, 10, 12, 15}[random.nextInt(4)] : random.nextInt(65_536);
                byte[] data = randomBytes(random.nextInt(24));
                writeShort(options, code);
                writeShort(options, data.length);
                options.writeBytes(data);
            }
            writeShort(out, options.size());
            out.writeBytes(options.toByteArray());
        }
        return out.toByteArray();
    }

    byte[] mutate(byte[] packet) {
        byte[] p = packet;
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            switch (random.nextInt(6)) {
                case 0, 1 -> {
                    int bit = random.nextInt(p.length * 8);
                    p[bit / 8] ^= (byte) (1 << (bit % 8));
                }
                case 2 -> p = Arrays.copyOf(p, random.nextInt(p.length + 1));
                case 3 -> {
                    int at = random.nextInt(p.length + 1);
                    byte[] longer = new byte[p.length + 1];
                    System.arraycopy(p, 0, longer, 0, at);
                    longer[at] = (byte) random.nextInt(256);
                    System.arraycopy(p, at, longer, at + 1, p.length - at);
                    p = longer;
                }
                case 4 -> {
                    if (p.length >= 12) {
                        int count = 4 + 2 * random.nextInt(4);
                        p[count] = (byte) (random.nextBoolean() ? 0 : random.nextInt(256));
                        p[count + 1] = (byte) random.nextInt(256);
                    }
                }
                default -> {
                    byte[] tail = randomBytes(random.nextInt(40));
                    byte[] longer = Arrays.copyOf(p, p.length + tail.length);
                    System.arraycopy(tail, 0, longer, p.length, tail.length);
                    p = longer;
                }
            }
            if (p.length == 0) {
                break;
            }
        }
        return p;
    }

    private void writeName(ByteArrayOutputStream out) {
        int depth = random.nextInt(10) == 0 ? random.nextInt(6) : random.nextInt(2);
        for (int i = 0; i < depth; i++) {
            writeLabel(out, randomLabel());
        }
        if (random.nextInt(3) > 0 && depth < 2) {
            writeLabel(out, mixCase(SERVICES.get(random.nextInt(SERVICES.size()))));
        }
        switch (random.nextInt(10)) {
            case 0 -> writeLabel(out, "example");
            case 1 -> {
                // a compression pointer back into the question, legal or not
                writeShort(out, 0xC000 | random.nextInt(64));
                return;
            }
            default -> {
                writeLabel(out, mixCase("peak"));
                writeLabel(out, mixCase("test"));
            }
        }
        out.write(0);
    }

    private String randomLabel() {
        int length = 1 + (random.nextInt(10) == 0 ? random.nextInt(63) : random.nextInt(12));
        byte[] label = new byte[length];
        for (int i = 0; i < length; i++) {
            label[i] = random.nextInt(8) == 0 ? (byte) random.nextInt(256)
                    : (byte) "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.".charAt(random.nextInt(65));
        }
        return new String(label, StandardCharsets.ISO_8859_1);
    }

    private String mixCase(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
        }
        return b.toString();
    }

    private static void writeLabel(ByteArrayOutputStream out, String label) {
        byte[] bytes = label.getBytes(StandardCharsets.ISO_8859_1);
        out.write(bytes.length);
        out.writeBytes(bytes);
    }

    private static void writeShort(ByteArrayOutputStream out, int value) {
        out.write(value >>> 8);
        out.write(value);
    }

    byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
