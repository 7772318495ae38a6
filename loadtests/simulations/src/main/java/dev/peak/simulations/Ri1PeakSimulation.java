package dev.peak.simulations;

import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;

/**
 * RI1, PEAK: each client resolves {@code a.<zone>} through peak-dns (the shared stub resolver, its own
 * TTL-honouring cache) and sends k {@code GET /work} straight to the A instance it got, on one keep-alive
 * connection.
 *
 * <p>Inputs: {@code peak.entry} (e.g. {@code http://a.peak.test:8080}), {@code peak.dns}, and those of
 * {@link Parameters}. A failed request does not end the session: the client carries on, as one that
 * retries would, reconnecting to the address still in its cache until the TTL expires.
 */
public class Ri1PeakSimulation extends PeakSimulation {

    private final String entry = Parameters.required("peak.entry");

    private final HttpProtocolBuilder protocol = resolvingThroughPeakDns(httpProtocol());

    private final ChainBuilder work = timed("work",
            http("Work").get(session -> entry + "/work?cost=" + cost(session))
                    .check(jsonPath("$.instance").saveAs("instance")),
            "instance");

    public Ri1PeakSimulation() {
        super("work");
        run(clients("RI1 PEAK client", repeat(parameters.k()).on(work)), protocol);
    }
}
