package dev.peak.simulations;

import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;

/**
 * RI1, traditional counterpart (HAProxy or nginx): each client sends k {@code GET /work} to the
 * reverse proxy on one keep-alive connection; the proxy picks an A instance per request.
 *
 * <p>Inputs: {@code peak.entry} (the proxy, e.g. {@code http://[fd00:70ea::e:1]:8080}) and those of
 * {@link Parameters}. A failed request does not end the session: the client carries on, as one that
 * retries would.
 */
public class Ri1ProxySimulation extends PeakSimulation {

    private final String entry = Parameters.required("peak.entry");

    private final HttpProtocolBuilder protocol = httpProtocol();

    private final ChainBuilder work = timed("work",
            http("Work").get(session -> entry + "/work?cost=" + cost(session))
                    .check(jsonPath("$.instance").saveAs("instance")),
            "instance");

    public Ri1ProxySimulation() {
        super("work");
        run(clients("RI1 proxy client", repeat(parameters.k()).on(work)), protocol);
    }
}
