package dev.peak.b.work;

import jakarta.json.JsonNumber;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.nio.charset.StandardCharsets;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.peak.common.error.ApiException;
import dev.peak.common.instance.InstanceId;
import dev.peak.common.work.WorkExecution;
import dev.peak.common.work.WorkFunction;
import dev.peak.common.work.WorkResult;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * RI2, request 2: {@code GET /work} with {@code Authorization: Bearer <token from A>}. B does the work
 * the token authorises (its {@code cost} claim) for the token's subject; it never calls A.
 */
@Path("/work")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class WorkResource {

    private final InstanceId instance;
    private final JsonWebToken token;

    public WorkResource(InstanceId instance, JsonWebToken token) {
        this.instance = instance;
        this.token = token;
    }

    /**
     * The claims are read here, on the request's thread (the token is request-scoped); the work runs where
     * {@link WorkExecution} puts it, on the event loop up to {@link WorkExecution#MAX_INLINE_COST} rounds.
     */
    @GET
    public Uni<WorkResult> work() {
        int cost = costClaim(token.claim("cost").orElse(null));
        // The token id is the seed: repeated calls with one token give one result, any two tokens differ.
        String seed = token.getTokenID() != null ? token.getTokenID() : token.getSubject();
        byte[] seedBytes = (seed == null ? WorkFunction.DEFAULT_SEED : seed).getBytes(StandardCharsets.UTF_8);
        String subject = token.getSubject();
        String id = instance.value();
        return WorkExecution.run(cost, () -> new WorkResult("b", id, subject, cost, WorkFunction.run(seedBytes, cost)));
    }

    private static int costClaim(Object claim) {
        if (claim == null) {
            return WorkFunction.MIN_COST;
        }
        Number number = claim instanceof JsonNumber json && json.isIntegral() ? json.longValue()
                : claim instanceof Long || claim instanceof Integer ? (Number) claim : null;
        if (number == null) {
            throw ApiException.badRequest("invalid_cost", "the token's cost claim must be an integer");
        }
        WorkFunction.checkRange(number.longValue());
        return number.intValue();
    }
}
