package dev.peak.client.example;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import dev.peak.client.ClientMetrics;
import dev.peak.client.PeakClient;
import dev.peak.client.token.TokenFlow;

/**
 * RI2 from the command line, on peak-client: a token from A, then calls to B with it, both found through peak-dns,
 * one line per call and the client's counters at the end. In the lab ({@code make run-client}) it reads the lab's
 * {@code PEAK_DNS_SERVERS}, {@code PEAK_ENTRY} and {@code PEAK_ENTRY_B}; elsewhere pass them as options.
 *
 * <pre>
 * java -cp peak-client/target/peak-client.jar:peak-client/target/lib/* dev.peak.client.example.Ri2Client \
 *     --dns "fd00:70ea::53" --a http://a.peak.test:8080 --b http://b.peak.test:8080 --calls 10 --cost 100
 * </pre>
 */
public final class Ri2Client {

    private static final String USAGE = """
            usage: Ri2Client [--dns "ADDR [ADDR]..."] [--a URL] [--b URL] [--calls N] [--cost N] [--pause-ms N]
              --dns       peak-dns replicas, address literals ([addr]:port for another port)   (env PEAK_DNS_SERVERS)
              --a         service A, the token issuer, e.g. http://a.peak.test:8080              (env PEAK_ENTRY)
              --b         service B, e.g. http://b.peak.test:8080                                 (env PEAK_ENTRY_B)
              --calls     calls to B (default 10); --cost: work per call (default 100); --pause-ms: between calls (0)""";

    private Ri2Client() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options = new TreeMap<>(Map.of("--dns", env("PEAK_DNS_SERVERS"), "--a", env("PEAK_ENTRY"),
                "--b", env("PEAK_ENTRY_B"), "--calls", "10", "--cost", "100", "--pause-ms", "0"));
        for (int i = 0; i < args.length; i += 2) {
            if (!options.containsKey(args[i]) || i + 1 >= args.length) {
                fail((options.containsKey(args[i]) ? args[i] + " needs a value" : "unknown option " + args[i]));
            }
            options.put(args[i], args[i + 1]);
        }
        options.forEach((name, value) -> {
            if (value.isBlank()) {
                fail(name + " is not set");
            }
        });
        int calls = number(options, "--calls");
        int cost = number(options, "--cost");
        int pauseMs = number(options, "--pause-ms");

        Counters counters = new Counters();
        PeakClient client;
        try {
            client = PeakClient.builder().dns(options.get("--dns")).metrics(counters).build();
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return;
        }
        TokenFlow flow = new TokenFlow(client, URI.create(options.get("--a")).resolve("/token"),
                "{\"subject\":\"ri2-client\",\"cost\":" + cost + "}", Duration.ofSeconds(5));
        URI work = URI.create(options.get("--b")).resolve("/work");
        int failed = 0;
        for (int i = 1; i <= calls; i++) {
            long start = System.nanoTime();
            String outcome;
            try {
                HttpResponse<String> response = flow.get(work);
                outcome = response.statusCode() + " " + response.body();
                failed += response.statusCode() == 200 ? 0 : 1;
            } catch (IOException e) {
                outcome = "failed: " + e;
                failed++;
            }
            System.out.printf(Locale.ROOT, "call %d  %.1f ms  %s%n", i, (System.nanoTime() - start) / 1e6, outcome);
            if (pauseMs > 0) {
                Thread.sleep(pauseMs);
            }
        }
        System.out.printf(Locale.ROOT, "%d calls, %d failed; client counters: %s%n", calls, failed, counters);
        System.exit(failed == 0 ? 0 : 1);
    }

    private static String env(String name) {
        String value = System.getenv(name);
        return value == null ? "" : value;
    }

    private static int number(Map<String, String> options, String name) {
        try {
            int value = Integer.parseInt(options.get(name));
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        fail(name + " must be a whole number ≥ 0, not " + options.get(name));
        return 0;
    }

    private static void fail(String why) {
        System.err.println("Ri2Client: " + why + "\n" + USAGE);
        System.exit(2);
    }

    /** The client's counters, kept to print: what ClientMetrics reports, without Micrometer. */
    private static final class Counters implements ClientMetrics {
        private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

        private void count(String name) {
            counts.computeIfAbsent(name, n -> new LongAdder()).increment();
        }

        @Override
        public void resolved(boolean fromCache, boolean failed) {
            count(failed ? "resolutions failed" : fromCache ? "answers from cache" : "DNS queries");
        }

        @Override
        public void failover(String reason) {
            count("failovers (" + reason + ")");
        }

        @Override
        public void tokenFetched(String reason) {
            count("tokens fetched (" + reason + ")");
        }

        @Override
        public String toString() {
            return new TreeMap<>(counts).toString();
        }
    }
}
