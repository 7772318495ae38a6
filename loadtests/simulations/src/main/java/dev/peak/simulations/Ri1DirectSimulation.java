package dev.peak.simulations;

import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.FeederBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RI1, the physical limit: no DNS and no proxy; each client is handed one A instance in turn and sends
 * k {@code GET /work} straight to it on one keep-alive connection. PEAK is measured against this.
 *
 * <p>Inputs: {@code peak.instances} ({@code "a-1=fd00:70ea::a:1 a-2=fd00:70ea::a:2"}, each instance on
 * port 8080) and those of {@link Parameters}. A failed request does not end the session.
 */
public class Ri1DirectSimulation extends PeakSimulation {

    private final FeederBuilder<Object> instances = listFeeder(addresses(Parameters.required("peak.instances"))).circular();

    private final HttpProtocolBuilder protocol = httpProtocol();

    private final ChainBuilder work = timed("work",
            http("Work").get(session -> "http://[" + session.getString("address") + "]:" + SERVICE_PORT + "/work?cost="
                    + cost(session))
                    .check(jsonPath("$.instance").saveAs("instance")),
            "instance");

    public Ri1DirectSimulation() {
        super("work");
        run(clients("RI1 direct client", feed(instances)
                .exec(repeat(parameters.k()).on(work))), protocol);
    }

    /** {@code "a-1=fd00:70ea::a:1 a-2=..."} (the lab's {@code PEAK_INSTANCES}) as feeder records. */
    static List<Map<String, Object>> addresses(String instances) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (String entry : instances.trim().split("\\s+")) {
            int equals = entry.indexOf('=');
            if (equals <= 0 || equals == entry.length() - 1) {
                throw new IllegalArgumentException("-Dpeak.instances: '" + entry + "' is not name=address");
            }
            records.add(Map.of("name", entry.substring(0, equals), "address", entry.substring(equals + 1)));
        }
        return records;
    }
}
