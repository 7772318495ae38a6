package dev.peak.driver.lab.proxy;

/** Where a proxy binds: bare IPv6 literal + port. */
public record Listen(String address, int port) {

    public Listen {
        ConfigValues.requireBareIpv6(address);
        ConfigValues.requirePort(port);
    }
}
