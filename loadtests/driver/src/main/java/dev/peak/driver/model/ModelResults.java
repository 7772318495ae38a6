package dev.peak.driver.model;

import java.util.List;
import java.util.Map;

import dev.peak.driver.variant.FaultKind;

/**
 * model.json: the variants carried beyond the lab, next to the results.json they were calibrated on. Every figure is
 * finite or null (JSON has no NaN).
 *
 * @param curves          throughput, infrastructure share and p99 against servers, per variant and {@code source}:
 *                        {@code measured} (the lab), {@code model} (the bottleneck model) or {@code simulation}
 * @param usl             the Universal Scalability Law fitted to each variant's measured maxima
 * @param validation      the lab's maxima and balance against the model's and the simulation's, where both exist
 * @param faultValidation the lab's fault runs against the simulation of the same fault
 * @param balance         Jain's index against TTL × clients, per peak-dns policy
 * @param errorWindows    the error window after a server kill, against TTL and health-check interval
 * @param dnsLoad         the queries per second peak-dns carries for a request rate, and the replicas that takes
 * @param timings         how long the largest simulations took on this machine
 * @param answer          the answer to RQ3, generated from the above
 */
public record ModelResults(Settings settings, List<Calibrated> calibration, List<CurvePoint> curves, List<UslRow> usl,
                           List<ValidationRow> validation, List<FaultCheck> faultValidation,
                           List<BalancePoint> balance, List<ErrorWindowPoint> errorWindows, List<DnsLoad> dnsLoad,
                           List<Timing> timings, List<String> answer, List<String> notes) {

    /**
     * @param cost          the work cost of the calibration (chained SHA-256 rounds per request)
     * @param proxyCpus     P: the CPUs of the one proxy, and of the mesh's one ingress, at every N; null: each
     *                      variant's lab budget (its calibration's proxyCpus)
     * @param loadFraction  simulations offer this share of the model's capacity
     */
    public record Settings(String results, int cost, List<Integer> servers, long sessions, Double proxyCpus,
                           double loadFraction, int requestsPerSession, double labTtlS, double healthIntervalS,
                           int fall, int rise, String generatedAt) {
    }

    /**
     * What a variant's requests cost, by role, where each role was busiest; and the CPUs the lab granted its instances,
     * which its curves keep at every N.
     *
     * @param serverCpus one server's CPUs
     * @param proxyCpus  one proxy's, ingress's, sidecar's or peak-dns replica's CPUs
     */
    public record Calibrated(String variant, int servers, Map<String, Double> usPerRequest, Double dnsUsPerQuery,
                             double dnsQueriesPerRequest, double serverCpus, double proxyCpus) {
    }

    /**
     * @param bottleneck the role that binds (model) or the busiest instance (simulation)
     * @param dnsQps     queries per second peak-dns carries at maxRps (model rows of PEAK), and
     * @param dnsReplicas the replicas that takes at the lab's budget per replica
     */
    public record CurvePoint(String variant, int servers, Double maxRps, Double infraCpuShare, Double p99Ms,
                             String source, String bottleneck, Double jain, Double dnsQps, Integer dnsReplicas) {
        public static final String MEASURED = "measured";
        public static final String MODEL = "model";
        public static final String SIMULATION = "simulation";
    }

    /**
     * @param sigmaCi   σ's 95 % confidence interval [low, high], nulls when the data cannot give one
     * @param peakServers N at which the fitted throughput peaks; null when it never does
     */
    public record UslRow(String variant, Integer points, Double lambda, Double sigma, Double kappa, List<Double> sigmaCi,
                         List<Double> kappaCi, Double peakServers, Double rSquared, Boolean kappaIndistinguishableFromZero,
                         String note) {
    }

    /**
     * @param failedRps    the lowest rate that failed above the lab's maximum (median over repeats): the true maximum
     *                     lies between measuredRps and it; null for a lower bound
     * @param relError     (modelRps − measuredRps) / measuredRps
     * @param bracketError how far the model lies outside that bracket, relative to its nearer end; 0 inside
     * @param simRelError  (simRps − measuredRps) / measuredRps
     * @param lowerBound   the lab's maximum is only a lower bound (the generator or the plan stopped the search)
     */
    public record ValidationRow(String variant, int servers, double measuredRps, Double failedRps, double modelRps,
                                double relError, double bracketError, Double simRps, Double simRelError,
                                Double measuredJain, Double modelJain, boolean lowerBound) {
    }

    public record FaultCheck(String variant, FaultKind fault, int servers, double rate, double measuredWindowS,
                             Double modelWindowS, long measuredErrors, Long modelErrors, String note) {
    }

    /** @param capacityShare the simulation's maximum over the bottleneck model's: what imbalance costs */
    public record BalancePoint(String policy, double ttlS, int clients, int servers, double jain, Double maxMinShare,
                               double capacityShare) {
    }

    /** @param boundS TTL (or Java's 30 s) + fall × interval: how long a client may keep a dead server */
    public record ErrorWindowPoint(String variant, double ttlS, boolean javaCache, double healthIntervalS,
                                   double windowS, long errors, double boundS) {
    }

    /** @param replicasOfOneCpu peak-dns replicas of one CPU each that carry dnsQps at the measured cost per query */
    public record DnsLoad(double requestRps, int requestsPerClientPerTtl, double dnsQps, int replicasOfOneCpu) {
    }

    public record Timing(String variant, int servers, long sessions, long requests, long events, double wallS) {
    }
}
