package dev.peak.common.net;

/**
 * How the suite writes hosts: an IPv6 literal goes in brackets wherever a port or a path may follow it (RFC 3986
 * §3.2.2), in URLs and in the proxies' {@code host:port} pairs alike; and the zone peak-dns serves unless told otherwise.
 */
public final class Hosts {

    /** peak-dns's zone by default, and the lab's: {@code .test} is reserved for testing (RFC 6761). */
    public static final String DEFAULT_ZONE = "peak.test.";

    private Hosts() {
    }

    /** {@code host} as a URL's authority writes it: {@code [fd00::1]}, {@code 10.0.0.1}, {@code a.peak.test}. */
    public static String inUrl(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** {@code [fd00::1]:8080}: without brackets a parser would read the last group of the address as the port. */
    public static String hostPort(String host, int port) {
        return inUrl(host) + ":" + port;
    }
}
