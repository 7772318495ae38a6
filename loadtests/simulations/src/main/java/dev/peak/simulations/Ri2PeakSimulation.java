package dev.peak.simulations;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;

/**
 * RI2, PEAK: each client gets a token from A ({@code POST /token}), then carries it to B in k
 * {@code GET /work}; both names resolved through peak-dns (one TTL-honouring cache per client), both
 * servers reached directly: A and B never talk to each other.
 *
 * <p>Inputs: {@code peak.entry} (A, e.g. {@code http://a.peak.test:8080}), {@code peak.entryB}
 * ({@code http://b.peak.test:8080}), {@code peak.dns}, and those of {@link Parameters}. A failed call to
 * B does not end the session; a failed token request does, since no call to B could be authorised.
 * The token response names no instance, so perInstance counts B's instances only. A call to B's
 * transaction latency is its own plus the session's token latency / k.
 */
public class Ri2PeakSimulation extends PeakSimulation {

    private final String entry = Parameters.required("peak.entry");
    private final String entryB = Parameters.required("peak.entryB");

    private final HttpProtocolBuilder protocol = resolvingThroughPeakDns(httpProtocol());

    private final ChainBuilder getToken = setup("token",
            http("Get token").post(entry + "/token")
                    .body(StringBody(session -> "{\"cost\":" + cost(session) + "}")).asJson()
                    .check(jsonPath("$.token").saveAs("token")));

    private final ChainBuilder callB = timed("b",
            http("Call B").get(entryB + "/work")
                    .header("Authorization", "Bearer #{token}")
                    .check(jsonPath("$.instance").saveAs("instance")),
            "instance");

    public Ri2PeakSimulation() {
        super("b", "token");
        run(clients("RI2 PEAK client", exec(getToken)
                .doIf(session -> session.contains("token")).then(repeat(parameters.k()).on(callB))), protocol);
    }
}
