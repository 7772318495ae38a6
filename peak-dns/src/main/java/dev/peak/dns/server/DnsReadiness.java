package dev.peak.dns.server;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.peak.dns.config.DnsConfig;
import dev.peak.dns.discovery.StaticFileDiscovery;
import dev.peak.dns.zone.Zone;

/**
 * peak-dns is ready when its zone is loaded and its sockets are bound: never "some endpoint is
 * healthy", because answering for a service whose endpoints are all down (fail open) is its job.
 */
@Readiness
@ApplicationScoped
public class DnsReadiness implements HealthCheck {

    private final DnsServer server;
    private final Zone zone;
    private final DnsConfig config;
    private final StaticFileDiscovery staticFile;

    public DnsReadiness(DnsServer server, Zone zone, DnsConfig config, StaticFileDiscovery staticFile) {
        this.server = server;
        this.zone = zone;
        this.config = config;
        this.staticFile = staticFile;
    }

    @Override
    public HealthCheckResponse call() {
        boolean staticLoaded = !config.discovery().contains(StaticFileDiscovery.SOURCE) || zone.hasReported(StaticFileDiscovery.SOURCE);
        var response = HealthCheckResponse.named("peak-dns")
                .status(staticLoaded && server.bound())
                .withData("zone", config.zone())
                .withData("socketsBound", server.bound())
                .withData("services", zone.services().size());
        if (staticFile.problem() != null) {
            response.withData("staticFileProblem", staticFile.problem());
        }
        return response.build();
    }
}
