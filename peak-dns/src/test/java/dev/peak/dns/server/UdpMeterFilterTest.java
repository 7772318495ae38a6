package dev.peak.dns.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

class UdpMeterFilterTest {

    private final MeterFilter filter = new UdpMeterFilter().dropPerClientUdpMeters();

    @Test
    void vertxUdpMetersTaggedPerClientAreDenied() {
        // the names and tags of Quarkus' VertxUdpMetrics
        for (String name : new String[] {"udp.bytes.read", "udp.bytes.written", "udp.errors"}) {
            Meter.Id id = new Meter.Id(name, Tags.of("protocol", "udp", "remote-address", "[::1]:53124"), null, null,
                    Meter.Type.DISTRIBUTION_SUMMARY);
            assertEquals(MeterFilterReply.DENY, filter.accept(id), name);
        }
    }

    @Test
    void peakDnsOwnMetersAreKept() {
        Meter.Id id = new Meter.Id("peak.dns.responses", Tags.of("rcode", "NOERROR"), null, null, Meter.Type.COUNTER);
        assertEquals(MeterFilterReply.NEUTRAL, filter.accept(id));
    }
}
