package dev.peak.driver.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.peak.driver.model.ModelResults.BalancePoint;
import dev.peak.driver.model.ModelResults.Calibrated;
import dev.peak.driver.model.ModelResults.CurvePoint;
import dev.peak.driver.model.ModelResults.DnsLoad;
import dev.peak.driver.model.ModelResults.ErrorWindowPoint;
import dev.peak.driver.model.ModelResults.FaultCheck;
import dev.peak.driver.model.ModelResults.Settings;
import dev.peak.driver.model.ModelResults.Timing;
import dev.peak.driver.model.ModelResults.UslRow;
import dev.peak.driver.model.ModelResults.ValidationRow;
import dev.peak.driver.model.ModelResults;
import dev.peak.driver.variant.FaultKind;

/**
 * A small hand-made model.json, as scale.sh model writes it beside results.json: two variants (PEAK, which the lab
 * measured at 1 and 2 servers, and HAProxy, capped by its proxy), with the gaps a real one has: figures that are
 * null, a source without p99, a fit and a variant without one, a fault it does not simulate, a balance point where
 * one server served nothing. The numbers are invented but shaped like the lab's.
 */
final class SampleModel {

    static final List<Integer> SERVERS = List.of(1, 10, 100, 1_000, 10_000);

    private SampleModel() {
    }

    static ModelResults create() {
        Settings settings = new Settings("target/sample", 1000, SERVERS, 20_000, null, 0.5, 10, 1, 1, 2, 2,
                "2026-01-01T00:00:00Z");
        List<Calibrated> calibration = List.of(
                new Calibrated("ri1-peak", 1, Map.of("service-a", 110.0, "peak-dns", 7.0), 70.0, 0.1, 0.2, 0.2),
                new Calibrated("ri1-haproxy", 1, Map.of("service-a", 140.0, "proxy", 120.0), null, 0, 0.2, 0.2));
        List<CurvePoint> curves = new ArrayList<>(List.of(
                new CurvePoint("ri1-peak", 1, 1800.0, 0.09, 1.1, CurvePoint.MEASURED, null, 1.0, null, null),
                new CurvePoint("ri1-peak", 2, 3500.0, null, 1.2, CurvePoint.MEASURED, null, 0.998, null, null),
                new CurvePoint("ri1-haproxy", 1, 1600.0, 0.44, 2.5, CurvePoint.MEASURED, null, 1.0, null, null)));
        for (int n : SERVERS) {
            curves.add(new CurvePoint("ri1-peak", n, 1850.0 * n, 0.06, null, CurvePoint.MODEL, "service-a", null,
                    185.0 * n, (int) Math.ceil(185.0 * n * 70 / 0.2e6)));
            // the simulation's largest run did not finish: no figure, not a zero
            curves.add(new CurvePoint("ri1-peak", n, n == 10_000 ? null : 1800.0 * n, 0.06, n == 10_000 ? null : 2.5,
                    CurvePoint.SIMULATION, "a-1", 1.0, null, null));
            double haproxy = Math.min(1430.0 * n, 1630);
            curves.add(new CurvePoint("ri1-haproxy", n, haproxy, 0.47, null, CurvePoint.MODEL, n == 1 ? "service-a"
                    : "proxy", null, null, null));
            curves.add(new CurvePoint("ri1-haproxy", n, haproxy * 0.99, 0.47, 6.8, CurvePoint.SIMULATION, "proxy", 0.9999,
                    null, null));
        }
        List<UslRow> usl = List.of(
                new UslRow("ri1-peak", 4, 1800.0, 0.02, 0.0001, List.of(0.01, 0.03), Arrays.asList(-0.0002, null), null,
                        0.97, true, "one degree of freedom: the intervals are wide; repeats narrow them"),
                new UslRow("ri1-haproxy", 1, null, null, null, List.of(), List.of(), null, null, null,
                        "needs maxima the system set at 2 or more server counts, 3 or more in all; has 1 at 1"));
        List<ValidationRow> validation = List.of(
                new ValidationRow("ri1-peak", 1, 1800, 2300.0, 1850, 0.028, 0, 1800.0, 0.0, 1.0, 1.0, false),
                new ValidationRow("ri1-peak", 2, 3500, 4400.0, 3700, 0.057, 0, null, null, 0.998, null, false),
                // beyond the ±15 % a reader should see
                new ValidationRow("ri1-haproxy", 1, 1600, null, 1300, -0.1875, -0.1875, 1310.0, -0.18125, 1.0, 1.0, true));
        List<FaultCheck> faults = List.of(
                new FaultCheck("ri1-peak", FaultKind.KILL_SERVER, 2, 900, 2, 2.0, 460, 750L, null),
                new FaultCheck("ri1-haproxy", FaultKind.KILL_PROXY, 2, 800, 6, null, 4300, null,
                        "not simulated: the lab never restarts a killed proxy, so its window is the rest of the run"));
        List<BalancePoint> balance = new ArrayList<>();
        for (String policy : List.of("round-robin", "random")) {
            for (double ttl : List.of(1.0, 30.0)) {
                for (int clients : List.of(10, 10_000)) {
                    boolean few = clients == 10 && ttl == 30;
                    balance.add(new BalancePoint(policy, ttl, clients, 20, few ? 0.63 : 0.999, few ? null : 1.1,
                            few ? 0.5 : 1.0));
                }
            }
        }
        List<ErrorWindowPoint> windows = List.of(
                new ErrorWindowPoint("ri1-peak", 1, false, 1, 3, 1700, 3),
                new ErrorWindowPoint("ri1-peak", 30, false, 1, 29, 24_000, 32),
                new ErrorWindowPoint("ri1-peak", 1, true, 1, 29, 24_000, 32),
                new ErrorWindowPoint("ri1-haproxy", 1, false, 1, 0, 0, 2));
        List<DnsLoad> dnsLoad = List.of(new DnsLoad(1e4, 1, 1e4, 1), new DnsLoad(1e4, 100, 100, 1),
                new DnsLoad(1e7, 1, 1e7, 700), new DnsLoad(1e7, 100, 1e5, 7));
        List<Timing> timings = List.of(new Timing("ri1-peak", 10_000, 200_000, 2_000_000, 6_600_000, 0.8),
                new Timing("ri1-haproxy", 10_000, 200_000, 2_000_000, 10_000_000, 1.4));
        List<String> answer = List.of("RQ3 — How does PEAK scale compared with a proxy and a mesh? As far as its "
                        + "servers: the sample's PEAK carries 18,500,000 req/s at 10,000 servers.",
                "At 10,000 servers: RI1 HAProxy 1,630 req/s (bound by proxy).");
        return new ModelResults(settings, calibration, curves, usl, validation, faults, balance, windows, dnsLoad,
                timings, answer, List.of("ri2-mesh passed no level at cost 1000: it is not modelled."));
    }

    /** Writes the sample as model.json into {@code dir}, where ReportWriter finds it. */
    static void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        JsonMapper.builder().build().writeValue(dir.resolve(ReportWriter.MODEL_FILE).toFile(), create());
    }
}
