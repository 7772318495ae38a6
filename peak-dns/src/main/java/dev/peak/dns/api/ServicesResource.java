package dev.peak.dns.api;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.peak.common.error.ApiException;
import dev.peak.dns.discovery.RegistryDiscovery;
import dev.peak.dns.endpoint.IpLiterals;
import dev.peak.dns.policy.PolicyName;
import dev.peak.dns.zone.ServiceSpec;
import dev.peak.dns.zone.ServiceState;
import dev.peak.dns.zone.Zone;

/**
 * peak-dns's admin API on the HTTP port: the live state of the zone, and the {@code registry}
 * discovery source's registration endpoints.
 */
@Path("/v1/services")
@Produces(MediaType.APPLICATION_JSON)
public class ServicesResource {

    /** One endpoint as the query path sees it. */
    public record EndpointView(String address, int weight, String health, double load, long selections) {
    }

    /** One service: its settings and endpoints. */
    public record ServiceView(String name, PolicyName policy, int answerSize, long ttl, int port, List<EndpointView> endpoints) {
    }

    /** The answer to a registration. */
    public record Registration(String service, String address, int weight, Instant leaseExpires) {
    }

    private final Zone zone;
    private final RegistryDiscovery registry;

    public ServicesResource(Zone zone, RegistryDiscovery registry) {
        this.zone = zone;
        this.registry = registry;
    }

    @GET
    public Map<String, Object> services() {
        List<ServiceView> services = zone.services().stream()
                .sorted(Comparator.comparing(s -> s.spec().name()))
                .map(ServicesResource::view)
                .toList();
        return Map.of("zoneVersion", zone.version(), "services", services);
    }

    /**
     * Registers or renews one endpoint. The body, when not empty, is the service's settings: a JSON object
     * with the static file's keys of a service but {@code endpoints} ({@link RegistryDiscovery#settings}).
     */
    @PUT
    @Path("/{service}/endpoints/{address}")
    public Registration register(@PathParam("service") String service, @PathParam("address") String address,
            @QueryParam("weight") @DefaultValue("1") String weightText, String settingsJson) {
        requireRegistry();
        String problem = ServiceSpec.nameProblem(service);
        if (problem != null) {
            throw error(400, "invalid_service", problem);
        }
        // Read by hand: JAX-RS answers an unconvertible query parameter with a bare 404.
        int weight;
        try {
            weight = Integer.parseInt(weightText.strip());
        } catch (NumberFormatException e) {
            weight = -1;
        }
        if (weight < 0 || weight > 1000) {
            throw error(400, "invalid_weight", "weight must be an integer from 0 to 1000");
        }
        InetAddress parsed = parse(address);
        ServiceSpec settings = null;
        if (settingsJson != null && !settingsJson.isBlank()) {
            try {
                settings = registry.settings(service, settingsJson);
            } catch (IllegalArgumentException e) {
                throw error(400, "invalid_settings", e.getMessage());
            }
        }
        try {
            return new Registration(service, IpLiterals.text(parsed), weight, registry.register(service, parsed, weight, settings));
        } catch (IllegalStateException e) {
            throw error(507, "registry_full", e.getMessage());
        }
    }

    @DELETE
    @Path("/{service}/endpoints/{address}")
    public Response deregister(@PathParam("service") String service, @PathParam("address") String address) {
        requireRegistry();
        if (!registry.deregister(service, parse(address))) {
            throw error(404, "not_registered", address + " is not registered for " + service);
        }
        return Response.noContent().build();
    }

    private void requireRegistry() {
        if (!registry.enabled()) {
            throw error(404, "registry_disabled", "the registry discovery source is off (peak.dns.discovery)");
        }
    }

    private static InetAddress parse(String address) {
        try {
            return IpLiterals.parse(address);
        } catch (IllegalArgumentException e) {
            throw error(400, "invalid_address", e.getMessage());
        }
    }

    private static ApiException error(int status, String code, String message) {
        return new ApiException(status, code, message);
    }

    private static ServiceView view(ServiceState service) {
        List<EndpointView> endpoints = service.endpoints().stream()
                .map(e -> new EndpointView(e.text(), e.weight(), e.health().name(), e.lastLoadReading(), e.selections()))
                .toList();
        var spec = service.spec();
        return new ServiceView(spec.name(), spec.policy(), spec.answerSize(), spec.ttl(), spec.port(), endpoints);
    }
}
