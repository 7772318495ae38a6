package dev.peak.b.internal;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.peak.common.error.ApiException;
import dev.peak.common.instance.InstanceId;
import dev.peak.common.work.WorkExecution;
import dev.peak.common.work.WorkFunction;
import dev.peak.common.work.WorkResult;
import io.smallrye.mutiny.Uni;

/**
 * {@code GET /internal/work?cost=N}: the mesh variant's server-to-server call from A. It carries no
 * token, because in the mesh the sidecars' mTLS and authorisation policy decide who may call it; so it
 * exists only where {@code peak.b.internal.enabled=true} and answers 404 everywhere else.
 */
@Path("/internal/work")
@Produces(MediaType.APPLICATION_JSON)
public class InternalWorkResource {

    private final InstanceId instance;
    private final boolean enabled;

    public InternalWorkResource(InstanceId instance,
            @ConfigProperty(name = "peak.b.internal.enabled", defaultValue = "false") boolean enabled) {
        this.instance = instance;
        this.enabled = enabled;
    }

    /** On the event loop up to {@link WorkExecution#MAX_INLINE_COST} rounds, on a worker beyond. */
    @GET
    public Uni<WorkResult> work(@QueryParam("cost") String cost, @QueryParam("seed") String seed) {
        if (!enabled) {
            throw new ApiException(404, "not_found", "no such endpoint");
        }
        int parsed = WorkFunction.parseCost(cost);
        byte[] seedBytes = WorkFunction.parseSeed(seed);
        return WorkExecution.run(parsed, () -> WorkResult.of("b", instance.value(), parsed, WorkFunction.run(seedBytes, parsed)));
    }
}
