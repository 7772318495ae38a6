package dev.peak.dns.server;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Vert.x's UDP metrics tag every datagram meter with the client's address: one new series per
 * client, unbounded under a DNS load (docs/architecture.md: Pitfalls). peak-dns counts its own answers instead.
 */
@Singleton
public class UdpMeterFilter {

    @Produces
    @Singleton
    MeterFilter dropPerClientUdpMeters() {
        return MeterFilter.denyNameStartsWith("udp.");
    }
}
