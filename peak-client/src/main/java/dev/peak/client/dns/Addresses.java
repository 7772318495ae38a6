package dev.peak.client.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.xbill.DNS.Address;

/** Address literals, told from names without ever looking a name up. */
public final class Addresses {

    private Addresses() {
    }

    /** {@code host} is an IPv4 or IPv6 address literal, with or without the brackets of a URI. */
    public static boolean isLiteral(String host) {
        return Address.isDottedQuad(host) || Address.toByteArray(unbracketed(host), Address.IPv6) != null;
    }

    /** The address a literal spells; no lookup is made. */
    public static InetAddress literal(String host) {
        String bare = unbracketed(host);
        byte[] bytes = Address.isDottedQuad(bare) ? Address.toByteArray(bare, Address.IPv4)
                : Address.toByteArray(bare, Address.IPv6);
        if (bytes == null) {
            throw new IllegalArgumentException("'" + host + "' is not an address literal");
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + host + "' is not an address literal", e);
        }
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
