package dev.peak.driver.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.peak.driver.variant.Variant;

/** The system properties a simulation reads (loadtests/simulations' Parameters and the simulations themselves). */
public final class Simulations {

    private Simulations() {
    }

    /**
     * The generator JVM's sizing for {@code processors} CPUs: the JVM's own pools, and one Netty event loop per CPU
     * (Netty's default is two, and every extra thread a response wakes costs a context switch).
     */
    public static List<String> jvmSizing(int processors) {
        return List.of("-XX:ActiveProcessorCount=" + processors, "-Dio.netty.eventLoopThreads=" + processors);
    }

    /**
     * {@code -Dpeak.*} for the workload against the system found through {@code env} (PEAK_ENTRY, ...), each of
     * {@code generators} generators offering its share of the rates.
     */
    public static List<String> properties(Map<String, String> env, LoadGenerator.Workload workload, int generators) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("peak.entry", env.get("PEAK_ENTRY"));
        if (env.containsKey("PEAK_ENTRY_B")) {
            properties.put("peak.entryB", env.get("PEAK_ENTRY_B"));
        }
        if (workload.variant().usesDns()) {
            properties.put("peak.dns", env.get("PEAK_DNS_SERVERS"));
        }
        if (workload.variant() == Variant.RI1_DIRECT) {
            properties.put("peak.instances", env.get("PEAK_INSTANCES"));
        }
        properties.put("peak.maxRate", Double.toString(workload.maxRate() / generators));
        properties.put("peak.k", Integer.toString(workload.k()));
        properties.put("peak.cost", Integer.toString(workload.cost()));
        properties.put("peak.timeoutMs", Long.toString(workload.requestTimeout().toMillis()));
        List<String> flags = new ArrayList<>();
        properties.forEach((name, value) -> flags.add("-D" + name + "=" + value));
        return flags;
    }
}
