package dev.peak.simulations;

import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;

/**
 * RI2, traditional counterpart: each client sends k {@code GET /chain} to the mesh ingress, which goes
 * to an A instance, which calls a B instance through the sidecars (mTLS); both instances count for
 * perInstance.
 *
 * <p>Inputs: {@code peak.entry} (the ingress, e.g. {@code http://[fd00:70ea::e:1]:8080}) and those of
 * {@link Parameters}. A failed request does not end the session.
 */
public class Ri2MeshSimulation extends PeakSimulation {

    private final String entry = Parameters.required("peak.entry");

    private final HttpProtocolBuilder protocol = httpProtocol();

    private final ChainBuilder chain = timed("chain",
            http("Chain").get(session -> entry + "/chain?cost=" + cost(session))
                    .check(jsonPath("$.a.instance").saveAs("aInstance"), jsonPath("$.b.instance").saveAs("bInstance")),
            "aInstance", "bInstance");

    public Ri2MeshSimulation() {
        super("chain");
        run(clients("RI2 mesh client", repeat(parameters.k()).on(chain)), protocol);
    }
}
