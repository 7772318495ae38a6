package dev.peak.a.work;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.peak.common.instance.InstanceId;
import dev.peak.common.work.WorkExecution;
import dev.peak.common.work.WorkFunction;
import dev.peak.common.work.WorkResult;
import io.smallrye.mutiny.Uni;

/** RI1's workload: {@code GET /work?cost=N} does N chained SHA-256 rounds and says who did them. */
@Path("/work")
@Produces(MediaType.APPLICATION_JSON)
public class WorkResource {

    private final InstanceId instance;

    public WorkResource(InstanceId instance) {
        this.instance = instance;
    }

    /** On the event loop up to {@link WorkExecution#MAX_INLINE_COST} rounds, on a worker beyond. */
    @GET
    public Uni<WorkResult> work(@QueryParam("cost") String cost, @QueryParam("seed") String seed) {
        int rounds = WorkFunction.parseCost(cost);
        byte[] seedBytes = WorkFunction.parseSeed(seed);
        return WorkExecution.run(rounds, () -> doWork(rounds, seedBytes));
    }

    /** The same work, for the mesh chain which validated its parameters already. */
    public WorkResult doWork(int cost, byte[] seed) {
        return WorkResult.of("a", instance.value(), cost, WorkFunction.run(seed, cost));
    }
}
