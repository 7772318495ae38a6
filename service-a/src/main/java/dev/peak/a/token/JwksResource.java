package dev.peak.a.token;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Response;

import dev.peak.common.error.ApiException;

/**
 * {@code GET /.well-known/jwks.json}: the public half of every key in the signing set, so B can verify
 * tokens signed by the current key and by keys rotated out but not yet expired.
 */
@Path("/.well-known/jwks.json")
public class JwksResource {

    static final String JWKS_MEDIA_TYPE = "application/jwk-set+json";

    private final SigningKeys keys;

    public JwksResource(SigningKeys keys) {
        this.keys = keys;
    }

    @GET
    @Produces({JWKS_MEDIA_TYPE, "application/json"})
    public Response jwks() {
        SigningKeys.Loaded loaded = keys.load();
        if (loaded == null) {
            throw new ApiException(503, "keys_unavailable", "no keys to publish: " + keys.problem());
        }
        CacheControl cache = new CacheControl();
        cache.setMaxAge(300);
        return Response.ok(loaded.publicJwks()).cacheControl(cache).build();
    }
}
