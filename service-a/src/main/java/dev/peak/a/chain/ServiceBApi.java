package dev.peak.a.chain;

import java.io.Closeable;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;

/**
 * B's mesh-internal endpoint as Quarkus's REST client calls it. The answer is the raw {@link Response}, so that
 * {@link ServiceBClient} can tell "B did not answer" (the Uni fails) from "B answered badly" (status, body).
 */
@Path("/internal/work")
public interface ServiceBApi extends Closeable {

    /** A null {@code seed} is left out of the query, and B uses its default. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> work(@QueryParam("cost") int cost, @QueryParam("seed") String seed);
}
