package dev.peak.driver.lab.proxy;

/** An upstream: an instance's bare IPv6 literal (no brackets) and port, and its name (e.g. "a-1"). */
public record Upstream(String name, String address, int port) {

    public Upstream {
        // The name becomes a HAProxy server name and an nginx comment: keep it to one plain token
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("upstream name must be letters, digits, '.', '_' or '-': " + name);
        }
        ConfigValues.requireBareIpv6(address);
        ConfigValues.requirePort(port);
    }
}
