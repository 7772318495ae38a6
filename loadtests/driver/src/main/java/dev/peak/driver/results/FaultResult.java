package dev.peak.driver.results;

import java.util.List;

import dev.peak.driver.variant.Client;
import dev.peak.driver.variant.FaultKind;

/**
 * One fault run: constant load, one fault injected, requests counted per second.
 *
 * @param fault        {@code kill-server}, {@code kill-proxy} or {@code kill-dns-replica} ({@link dev.peak.driver.variant.FaultKind})
 * @param cost         the work cost per request of the run
 * @param rate         offered primary requests per second
 * @param requests     requests completed or failed over the whole run
 * @param errors       of which failed
 * @param errorWindowS see {@link Metrics#errorWindowSeconds}
 * @param recoveryS    see {@link Metrics#recoverySeconds}; {@link Metrics#NOT_RECOVERED} if the run ended first
 * @param faultAtS     the second of {@code timeline} in which the fault was injected
 * @param timeline     ok and failed requests per second
 * @param client       what sent the requests; Gatling in results.json files written before there was a choice
 * @param generatorUsPerRequest the generator's CPU µs per request over the fault's level: what the client cost,
 *                     which differs between clients; null in files written before it was recorded
 */
public record FaultResult(String variant, FaultKind fault, int servers, int cost, double rate, long requests, long errors,
                    double errorWindowS, double recoveryS, int faultAtS, List<Second> timeline, Client client,
                    Double generatorUsPerRequest) {

    public FaultResult {
        timeline = timeline == null ? List.of() : timeline;
        client = client == null ? Client.GATLING : client;
    }

    /**
     * The fault run behind this timeline: totals, error window and recovery measured from it, against the
     * baseline of {@link Metrics#baselineRps}, capped at the offered rate: the first seconds of a run
     * complete the backlog of its start in a burst that is no steady rate to return to.
     */
    public static FaultResult of(String variant, FaultKind fault, int servers, int cost, double rate, int faultAtS,
                           List<Second> timeline) {
        return of(variant, fault, servers, cost, rate, faultAtS, timeline, Client.GATLING, null);
    }

    public static FaultResult of(String variant, FaultKind fault, int servers, int cost, double rate, int faultAtS,
                           List<Second> timeline, Client client, Double generatorUsPerRequest) {
        long ok = timeline.stream().mapToLong(Second::ok).sum();
        long ko = timeline.stream().mapToLong(Second::ko).sum();
        double baseline = Math.min(rate, Metrics.baselineRps(timeline, faultAtS));
        return new FaultResult(variant, fault, servers, cost, rate, ok + ko, ko, Metrics.errorWindowSeconds(timeline),
                Metrics.recoverySeconds(timeline, faultAtS, baseline), faultAtS, timeline, client,
                generatorUsPerRequest);
    }
}
