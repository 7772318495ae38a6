package dev.peak.dns.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Parses IP address literals only: a host name here would make peak-dns itself depend on DNS. */
public final class StaticAddresses {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private StaticAddresses() {
    }

    /** The address, or IllegalArgumentException saying why the text is not an IP literal. */
    public static InetAddress parse(String text) {
        String literal = text == null ? "" : text.strip();
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        var v4 = IPV4.matcher(literal);
        boolean valid = v4.matches()
                ? java.util.stream.IntStream.rangeClosed(1, 4).allMatch(i -> Integer.parseInt(v4.group(i)) <= 255)
                : literal.contains(":") && IPV6.matcher(literal).matches();
        if (!valid) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 or IPv4 address");
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 or IPv4 address");
        }
    }
}
