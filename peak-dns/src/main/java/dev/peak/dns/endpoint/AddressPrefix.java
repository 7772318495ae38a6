package dev.peak.dns.endpoint;

import java.net.InetAddress;
import java.util.Arrays;

/** An IPv6 or IPv4 prefix such as {@code fd00:70ea::/48}: the addresses whose first {@code length} bits are its own. */
public record AddressPrefix(InetAddress network, int length) {

    /** The prefix, or IllegalArgumentException saying what is wrong with the text. */
    public static AddressPrefix parse(String text) {
        String literal = text == null ? "" : text.strip();
        int slash = literal.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a prefix: expected <address>/<length>, e.g. fd00:70ea::/48");
        }
        InetAddress network;
        try {
            network = IpLiterals.parse(literal.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a prefix: " + e.getMessage());
        }
        int bits = network.getAddress().length * 8;
        int length;
        try {
            length = Integer.parseInt(literal.substring(slash + 1));
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length < 0 || length > bits) {
            throw new IllegalArgumentException("'" + text + "': the length must be from 0 to " + bits);
        }
        // Bits past the length set would make the text say one prefix and mean another.
        byte[] masked = mask(network.getAddress(), length);
        if (!Arrays.equals(masked, network.getAddress())) {
            throw new IllegalArgumentException("'" + text + "' has bits set past /" + length);
        }
        return new AddressPrefix(network, length);
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == network.getAddress().length && Arrays.equals(mask(bytes, length), network.getAddress());
    }

    @Override
    public String toString() {
        return IpLiterals.text(network) + "/" + length;
    }

    private static byte[] mask(byte[] address, int length) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int keep = Math.max(0, Math.min(8, length - 8 * i));
            masked[i] &= (byte) (0xFF << (8 - keep));
        }
        return masked;
    }
}
