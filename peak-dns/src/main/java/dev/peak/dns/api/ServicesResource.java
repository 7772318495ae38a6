package dev.peak.dns.api;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import dev.peak.common.error.ApiException;
import dev.peak.dns.discovery.RegistryDiscovery;
import dev.peak.dns.endpoint.IpLiterals;
import dev.peak.dns.policy.PolicyName;
import dev.peak.dns.zone.ServiceSpec;
import dev.peak.dns.zone.ServiceState;
import dev.peak.dns.zone.Zone;
import io.vertx.core.http.HttpServerRequest;

/**
 * peak-dns's admin API on the HTTP port: the live state of the zone, and the {@code registry}
 * discovery source's registration endpoints. Writes go through {@link RegistryAccess} first: a known
 * caller, under its rate, for an allowed address; each change is logged with the caller's name.
 */
@Path("/v1/services")
@Produces(MediaType.APPLICATION_JSON)
public class ServicesResource {

    /** One endpoint as the query path sees it. */
    public record EndpointView(String address, int weight, String health, double load, boolean shedding, long selections) {
    }

    /** One service: its settings and endpoints. */
    public record ServiceView(String name, PolicyName policy, int answerSize, long ttl, int port, List<EndpointView> endpoints) {
    }

    /** The answer to a registration. */
    public record Registration(String service, String address, int weight, Instant leaseExpires) {
    }

    private static final Logger LOG = Logger.getLogger(ServicesResource.class);

    private final Zone zone;
    private final RegistryDiscovery registry;
    private final RegistryAccess access;

    public ServicesResource(Zone zone, RegistryDiscovery registry, RegistryAccess access) {
        this.zone = zone;
        this.registry = registry;
        this.access = access;
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
            @QueryParam("weight") @DefaultValue("1") String weightText, String settingsJson,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest request) {
        requireRegistry();
        String from = peer(request);
        String caller = access.authorize(authorization, from);
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
        access.requireAllowed(parsed, caller, from);
        ServiceSpec settings = null;
        if (settingsJson != null && !settingsJson.isBlank()) {
            try {
                settings = registry.settings(service, settingsJson);
            } catch (IllegalArgumentException e) {
                throw error(400, "invalid_settings", e.getMessage());
            }
        }
        RegistryDiscovery.Registered registered;
        try {
            registered = registry.register(service, parsed, weight, settings);
        } catch (IllegalStateException e) {
            throw error(507, "registry_full", e.getMessage());
        }
        access.accepted();
        // Renewals are the steady traffic (one per endpoint every few seconds): only changes are worth a line.
        if (registered.changed()) {
            LOG.infof("registry: %s from %s registered %s for %s, weight %d%s", caller, from, IpLiterals.text(parsed),
                    service, weight, settings == null ? "" : ", with settings");
        }
        return new Registration(service, IpLiterals.text(parsed), weight, registered.expires());
    }

    @DELETE
    @Path("/{service}/endpoints/{address}")
    public Response deregister(@PathParam("service") String service, @PathParam("address") String address,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest request) {
        requireRegistry();
        String from = peer(request);
        String caller = access.authorize(authorization, from);
        InetAddress parsed = parse(address);
        if (!registry.deregister(service, parsed)) {
            throw error(404, "not_registered", address + " is not registered for " + service);
        }
        access.accepted();
        LOG.infof("registry: %s from %s removed %s from %s", caller, from, IpLiterals.text(parsed), service);
        return Response.noContent().build();
    }

    private static String peer(HttpServerRequest request) {
        return request.remoteAddress() == null ? "?" : request.remoteAddress().hostAddress();
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
                .map(e -> new EndpointView(e.text(), e.weight(), e.health().name(), e.lastLoadReading(), e.shedding(),
                        e.selections()))
                .toList();
        var spec = service.spec();
        return new ServiceView(spec.name(), spec.policy(), spec.answerSize(), spec.ttl(), spec.port(), endpoints);
    }
}
