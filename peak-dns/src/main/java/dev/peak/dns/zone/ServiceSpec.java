package dev.peak.dns.zone;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * What a discovery source says about one service: its endpoints and how to answer for it.
 *
 * @param name DNS label, lower case
 * @param policy round-robin, random, weighted or least-loaded
 * @param answerSize k, addresses per answer
 * @param ttl answer TTL in seconds
 * @param port where the endpoints serve HTTP (health checks, load scraping)
 * @param health probe settings
 */
public record ServiceSpec(String name, String policy, int answerSize, long ttl, int port, HealthSpec health,
        List<EndpointSpec> endpoints) {

    /** One address of the service; weight matters only to the weighted policy. */
    public record EndpointSpec(InetAddress address, int weight) {
    }

    /** Active health check settings; an interval of zero disables checks. */
    public record HealthSpec(String path, Duration interval, Duration timeout, int rise, int fall) {
    }

    public ServiceSpec withEndpoints(List<EndpointSpec> replaced) {
        return new ServiceSpec(name, policy, answerSize, ttl, port, health, List.copyOf(replaced));
    }
}
