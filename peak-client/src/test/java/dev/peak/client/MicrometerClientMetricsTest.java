package dev.peak.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.peak.client.dns.Addresses;
import dev.peak.client.dns.NameServers;

class MicrometerClientMetricsTest {

    @Test
    void resolutionsAndFailoversAreCountedByTheirTags() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (StandInDns dns = new StandInDns()) {
            dns.answer(60, Addresses.literal("fd00:70ea::a1"), Addresses.literal("fd00:70ea::a2"));
            FakeHttp http = new FakeHttp(request -> {
                if (request.uri().getHost().endsWith(":a1]")) {
                    throw new ConnectException("refused");
                }
                return FakeHttp.Answer.ok("done");
            });
            PeakClient client = PeakClient.builder().nameServers(NameServers.parse(dns.entry(), Duration.ofSeconds(1)))
                    .httpClient(http).metrics(new MicrometerClientMetrics(registry)).build();

            HttpRequest request = HttpRequest.newBuilder(URI.create("http://a.peak.test:8080/work")).build();
            client.send(request, HttpResponse.BodyHandlers.ofString());
            client.send(request, HttpResponse.BodyHandlers.ofString());
        }
        assertEquals(1, registry.get("peak.client.resolutions").tag("source", "dns").tag("outcome", "ok").counter().count());
        assertEquals(1, registry.get("peak.client.resolutions").tag("source", "cache").counter().count());
        assertEquals(1, registry.get("peak.client.failovers").tag("reason", "connect").counter().count(),
                "the second request skipped the bad address: no failover");
    }
}
