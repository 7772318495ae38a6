package dev.peak.dns.endpoint;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Parses IP address literals only: a host name here would make peak-dns itself depend on DNS. */
public final class IpLiterals {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private IpLiterals() {
    }

    /** RFC 5952 text: lower case, the longest run of two or more zero groups as "::", no zone id. */
    public static String text(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
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
