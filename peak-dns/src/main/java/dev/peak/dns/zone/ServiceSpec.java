package dev.peak.dns.zone;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import dev.peak.dns.config.DnsConfig;
import dev.peak.dns.policy.PolicyName;

/**
 * What a discovery source says about one service: its endpoints and how to answer for it.
 *
 * @param name DNS label, lower case, not {@code ns} ({@link #nameProblem})
 * @param policy round-robin, random, weighted or least-loaded
 * @param answerSize k, addresses per answer
 * @param ttl answer TTL in seconds
 * @param port where the endpoints serve HTTP (health checks, load scraping)
 * @param health probe settings
 */
public record ServiceSpec(String name, PolicyName policy, int answerSize, long ttl, int port, HealthSpec health,
        List<EndpointSpec> endpoints) {

    /** The name of the zone's name server, {@code ns.<zone>}: the target of the apex NS record. */
    public static final String NAMESERVER_LABEL = "ns";
    /**
     * Lower case only: the query path lower-cases the asked label before looking it up, so a name with
     * an upper-case letter could never be answered.
     */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /** One address of the service; weight matters only to the weighted policy. */
    public record EndpointSpec(InetAddress address, int weight) {
    }

    /** Active health check settings; an interval of zero disables checks. */
    public record HealthSpec(String path, Duration interval, Duration timeout, int rise, int fall) {

        /** The settings of a service that sets none, from {@code peak.dns.health.*}; the same for every source. */
        public static HealthSpec defaults(DnsConfig.Health config) {
            return new HealthSpec(config.path(), config.interval(), config.timeout(), config.rise(), config.fall());
        }
    }

    /**
     * Refuses a spec whatever source built it: a name no query could reach, or one the zone's name
     * server already holds, must never silently enter the zone.
     */
    public ServiceSpec {
        String problem = nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException(name + ": " + problem);
        }
    }

    /**
     * Why {@code name} cannot be a service of the zone ({@code <name>.<zone>}, one label below it), or
     * null when it can; every source reports this sentence.
     */
    public static String nameProblem(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return "a service name must be one DNS label: lower-case letters, digits and '-', at most 63";
        }
        if (name.equals(NAMESERVER_LABEL)) {
            // ns.<zone> answers the name server's addresses (peak.dns.nameserver-addresses): a service
            // there would either hide them or be hidden by them.
            return "'ns' is the zone's name server (ns.<zone>, the target of its NS record), not a service name";
        }
        return null;
    }

    public ServiceSpec withEndpoints(List<EndpointSpec> replaced) {
        return new ServiceSpec(name, policy, answerSize, ttl, port, health, List.copyOf(replaced));
    }
}
