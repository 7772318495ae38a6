package dev.peak.a.chain;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.peak.a.work.WorkResource;
import dev.peak.common.work.WorkExecution;
import dev.peak.common.work.WorkFunction;
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

    /**
     * A's work where {@link WorkExecution} puts it, then the call to B, which waits without holding a thread: like
     * A's own /work, no thread hand-off for short work (the mesh pays none that RI1 and PEAK do not).
     */
    @GET
    public Uni<ChainResult> chain(@QueryParam("cost") String rawCost, @QueryParam("seed") String seed) {
        int cost = WorkFunction.parseCost(rawCost);
        byte[] seedBytes = WorkFunction.parseSeed(seed);
        return WorkExecution.run(cost, () -> work.doWork(cost, seedBytes))
                .chain(a -> serviceB.work(cost, seed).map(b -> new ChainResult(a, b)));
    }
}
