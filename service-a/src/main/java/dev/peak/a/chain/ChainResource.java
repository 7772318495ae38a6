package dev.peak.a.chain;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.peak.a.work.WorkResource;
import dev.peak.common.work.WorkFunction;
import dev.peak.common.work.WorkResult;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/**
 * The mesh variant's transaction (RI2 counterpart): A does its work, then calls B's internal endpoint
 * server-side, and answers both results. {@code GET /chain?cost=N}.
 */
@Path("/chain")
@Produces(MediaType.APPLICATION_JSON)
public class ChainResource {

    private final WorkResource work;
    private final ServiceBClient serviceB;

    public ChainResource(WorkResource work, ServiceBClient serviceB) {
        this.work = work;
        this.serviceB = serviceB;
    }

    /** Blocking because A's own work is CPU; the call to B then waits without holding the thread. */
    @GET
    @Blocking
    public Uni<ChainResult> chain(@QueryParam("cost") String rawCost, @QueryParam("seed") String seed) {
        int cost = WorkFunction.parseCost(rawCost);
        WorkResult a = work.doWork(cost, WorkFunction.parseSeed(seed));
        return serviceB.work(cost, seed).map(b -> new ChainResult(a, b.getMap()));
    }
}
